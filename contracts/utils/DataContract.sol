// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title DataContract
/// @notice Keeps immutable bytes as the runtime code of a contract of their own (the SSTORE2 pattern):
/// writing costs a contract creation once, reading costs one EXTCODECOPY (2,600 gas cold plus 3 gas a
/// word) instead of a cold SLOAD (2,100 gas) for every 32 bytes.
/// @dev The code is a STOP byte followed by the data, so a call to the data contract does nothing. A
/// data contract is never changed or destroyed; to replace the data, write a new one and keep its address.
library DataContract {
    /// @dev EIP-170: deployed code is at most 24,576 bytes, one of which is the STOP byte.
    uint256 internal constant MAX_DATA_LENGTH = 24_575;

    /// @notice `length` bytes do not fit in one contract's code (at most {MAX_DATA_LENGTH}).
    error DataContract_TooLarge(uint256 length);
    /// @notice Creating the data contract failed.
    error DataContract_WriteFailed();
    /// @notice `pointer` holds no code, so it is not a data contract.
    error DataContract_NoData(address pointer);

    /// @notice Deploys a data contract holding `data`.
    /// @param data The bytes to keep (at most {MAX_DATA_LENGTH}).
    /// @return pointer The data contract's address; {read} it back.
    function write(bytes memory data) internal returns (address pointer) {
        uint256 length = data.length;
        if (length > MAX_DATA_LENGTH) revert DataContract_TooLarge(length);
        // Init code (10 bytes): PUSH2 size, DUP1, PUSH1 10, PUSH0, CODECOPY, PUSH0, RETURN. It copies the
        // runtime code that follows it (STOP, then the data) to memory 0 and returns it.
        bytes memory creation = abi.encodePacked(
            hex"61",
            uint16(length + 1),
            hex"80600a5f395ff3",
            hex"00",
            data
        );
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            pointer := create(0, add(creation, 0x20), mload(creation))
        }
        if (pointer == address(0)) revert DataContract_WriteFailed();
    }

    /// @notice The bytes a data contract holds.
    /// @param pointer An address returned by {write}.
    /// @return data The bytes written.
    function read(address pointer) internal view returns (bytes memory data) {
        uint256 length = dataLength(pointer);
        data = new bytes(length);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            extcodecopy(pointer, add(data, 0x20), 1, length)
        }
    }

    /// @notice The bytes a data contract holds followed by `tail`, in one allocation: the data is copied
    /// once, straight from code to its place.
    /// @param pointer An address returned by {write}.
    /// @param tail The bytes to append.
    /// @return joined The data written, then `tail`.
    function readThenAppend(
        address pointer,
        bytes memory tail
    ) internal view returns (bytes memory joined) {
        uint256 length = dataLength(pointer);
        uint256 tailLength = tail.length;
        joined = new bytes(length + tailLength);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let start := add(joined, 0x20)
            extcodecopy(pointer, start, 1, length)
            mcopy(add(start, length), add(tail, 0x20), tailLength)
        }
    }

    /// @notice The number of bytes a data contract holds.
    /// @param pointer An address returned by {write}.
    /// @return length The length of the bytes written.
    function dataLength(address pointer) internal view returns (uint256 length) {
        uint256 size = pointer.code.length;
        if (size == 0) revert DataContract_NoData(pointer);
        length = size - 1;
    }
}
