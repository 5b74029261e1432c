// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {FunctionsRequest} from "@chainlink/contracts/src/v0.8/functions/v1_0_0/libraries/FunctionsRequest.sol";
import {CBOR} from "@chainlink/contracts/src/v0.8/vendor/solidity-cborutils/v2.0.0/CBOR.sol";

/// @title InlineRequestCbor
/// @notice FunctionsRequest.encodeCBOR split in two for a Chainlink Functions request with inline
/// JavaScript: the prefix (code location, language, source) depends only on the source, so it can be
/// encoded once when the source is set; the rest (args, secrets, bytes args) is encoded per request.
/// `encodePrefix(source) ++ encodeAfterSource(req)` equals `encodeCBOR` of the same request with
/// `initializeRequestForInlineJavaScript(source)` byte for byte: the encoding is a flat sequence of
/// CBOR items with no count or map header covering both halves.
library InlineRequestCbor {
    using CBOR for CBOR.CBORBuffer;

    /// @dev Beyond the source itself, the prefix has 99 bytes of keys and values and 1 to 9 bytes of
    /// string header; sized up front so the CBOR buffer never grows (each growth copies it word by word).
    uint256 private constant _PREFIX_OVERHEAD = 128;

    /// @notice The empty source cannot be sent (as FunctionsRequest.initializeRequest).
    error InlineRequestCbor_EmptySource();
    /// @notice Bytes given as a prefix do not hold an inline JavaScript source where {encodePrefix} puts it.
    error InlineRequestCbor_NotAPrefix();

    /// @notice The CBOR of a request's code location (inline), language (JavaScript) and `source`, as
    /// FunctionsRequest.encodeCBOR writes them first.
    /// @param source The JavaScript the DON runs (not empty).
    /// @return prefix The encoded items.
    function encodePrefix(string memory source) internal pure returns (bytes memory prefix) {
        if (bytes(source).length == 0) revert InlineRequestCbor_EmptySource();
        CBOR.CBORBuffer memory buffer = CBOR.create(bytes(source).length + _PREFIX_OVERHEAD);
        buffer.writeString("codeLocation");
        buffer.writeUInt256(uint256(FunctionsRequest.Location.Inline));
        buffer.writeString("language");
        buffer.writeUInt256(uint256(FunctionsRequest.CodeLanguage.JavaScript));
        buffer.writeString("source");
        buffer.writeString(source);
        return buffer.buf.buf;
    }

    /// @notice The CBOR of everything FunctionsRequest.encodeCBOR writes after the source: args, secrets
    /// reference and bytes args, in its order and with its checks. `self`'s code location, language and
    /// source are ignored.
    /// @param self The request, its args and secrets set with FunctionsRequest's functions.
    /// @return suffix The encoded items.
    function encodeAfterSource(
        FunctionsRequest.Request memory self
    ) internal pure returns (bytes memory suffix) {
        CBOR.CBORBuffer memory buffer = CBOR.create(FunctionsRequest.DEFAULT_BUFFER_SIZE);
        if (self.args.length > 0) {
            buffer.writeString("args");
            buffer.startArray();
            for (uint256 i = 0; i < self.args.length; ++i) {
                buffer.writeString(self.args[i]);
            }
            buffer.endSequence();
        }
        if (self.encryptedSecretsReference.length > 0) {
            if (self.secretsLocation == FunctionsRequest.Location.Inline) {
                revert FunctionsRequest.NoInlineSecrets();
            }
            buffer.writeString("secretsLocation");
            buffer.writeUInt256(uint256(self.secretsLocation));
            buffer.writeString("secrets");
            buffer.writeBytes(self.encryptedSecretsReference);
        }
        if (self.bytesArgs.length > 0) {
            buffer.writeString("bytesArgs");
            buffer.startArray();
            for (uint256 i = 0; i < self.bytesArgs.length; ++i) {
                buffer.writeBytes(self.bytesArgs[i]);
            }
            buffer.endSequence();
        }
        return buffer.buf.buf;
    }

    /// @notice keccak256 of the source inside a prefix made by {encodePrefix}.
    /// @param prefix The encoded prefix.
    /// @return hash keccak256 of the source's UTF-8 bytes.
    function sourceHashOf(bytes memory prefix) internal pure returns (bytes32 hash) {
        (uint256 start, uint256 length) = sourceRangeOf(prefix);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            hash := keccak256(add(add(prefix, 0x20), start), length)
        }
    }

    /// @notice Where the source lies inside a prefix made by {encodePrefix}.
    /// @param prefix The encoded prefix.
    /// @return start Offset of the source's first byte in `prefix`.
    /// @return length The source's length in bytes.
    function sourceRangeOf(
        bytes memory prefix
    ) internal pure returns (uint256 start, uint256 length) {
        // The keys and values before the source's string header: the prefix of a one-byte source less
        // that byte and its one-byte header.
        uint256 header = encodePrefix("x").length - 2;
        // solhint-disable-next-line gas-strict-inequalities
        if (prefix.length <= header) revert InlineRequestCbor_NotAPrefix();
        uint8 initial = uint8(prefix[header]);
        // CBOR major type 3 (text string); the low five bits give the length or how many bytes hold it.
        if (initial >> 5 != 3) revert InlineRequestCbor_NotAPrefix();
        uint8 info = initial & 0x1f;
        uint256 lengthBytes;
        if (info < 24) {
            length = info;
        } else if (info < 28) {
            lengthBytes = uint256(1) << (info - 24);
            for (uint256 i = 0; i < lengthBytes; ++i) {
                // solhint-disable-next-line gas-strict-inequalities
                if (prefix.length <= header + 1 + i) revert InlineRequestCbor_NotAPrefix();
                length = (length << 8) | uint8(prefix[header + 1 + i]);
            }
        } else {
            revert InlineRequestCbor_NotAPrefix();
        }
        start = header + 1 + lengthBytes;
        if (prefix.length != start + length) revert InlineRequestCbor_NotAPrefix();
    }
}
