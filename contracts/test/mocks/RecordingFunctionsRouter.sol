// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title RecordingFunctionsRouter
/// @notice Stands in for the Chainlink Functions router in Solidity tests: takes `sendRequest` with the
/// router's signature and keeps the request data, so a test can compare it byte for byte with what
/// FunctionsRequest.encodeCBOR produces. The real router and coordinator run in the TypeScript end-to-end
/// test (test/functions/gridIntensityConsumer.e2e.test.ts).
contract RecordingFunctionsRouter {
    /// @notice The data of the latest request.
    bytes public lastData;
    /// @notice The data version of the latest request.
    uint16 public lastDataVersion;
    /// @notice How many requests were sent.
    uint256 public requestCount;

    /// @notice Records the request and returns a fresh request id.
    function sendRequest(
        uint64,
        bytes calldata data,
        uint16 dataVersion,
        uint32,
        bytes32
    ) external returns (bytes32) {
        lastData = data;
        lastDataVersion = dataVersion;
        ++requestCount;
        return keccak256(abi.encode(address(this), requestCount));
    }
}
