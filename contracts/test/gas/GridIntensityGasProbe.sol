// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {FunctionsClient} from "@chainlink/contracts/src/v0.8/functions/v1_0_0/FunctionsClient.sol";
import {FunctionsRequest} from "@chainlink/contracts/src/v0.8/functions/v1_0_0/libraries/FunctionsRequest.sol";
import {DataContract} from "../../utils/DataContract.sol";
import {InlineRequestCbor} from "../../utils/InlineRequestCbor.sol";

/// @title GridIntensityGasProbe
/// @notice For `npm run bench -- gas` only: splits a Functions request of GridIntensityConsumer into its
/// parts (reading the source, CBOR encoding, the router's work), each measured with gasleft() around it,
/// for the old path (source string in storage, FunctionsRequest.encodeCBOR per request) and the current
/// one (CBOR prefix in a data contract, only the args encoded per request).
/// Every function is meant to be run with eth_call, each in a transaction of its own, so that storage and
/// accounts start cold as in a real request.
contract GridIntensityGasProbe is FunctionsClient {
    using FunctionsRequest for FunctionsRequest.Request;

    string private _source;
    address private immutable _SOURCE_POINTER;
    address private immutable _PREFIX_POINTER;
    uint64 private immutable _SUBSCRIPTION_ID;
    bytes32 private immutable _DON_ID;

    /// @notice The source did not survive a read (never expected; keeps the reads from being optimised out).
    error Probe_EmptySource();

    /// @param router The Functions router.
    /// @param source The request source, kept both in storage and in a data contract.
    /// @param subscriptionId A funded subscription this probe is a consumer of.
    /// @param donId The DON id.
    constructor(
        address router,
        string memory source,
        uint64 subscriptionId,
        bytes32 donId
    ) FunctionsClient(router) {
        _source = source;
        _SOURCE_POINTER = DataContract.write(bytes(source));
        _PREFIX_POINTER = DataContract.write(InlineRequestCbor.encodePrefix(source));
        _SUBSCRIPTION_ID = subscriptionId;
        _DON_ID = donId;
    }

    /// @notice Gas to copy the source from storage to memory (one cold SLOAD per 32 bytes).
    function measureStorageRead() external view returns (uint256 gasUsed) {
        uint256 before = gasleft();
        string memory source = _source;
        gasUsed = before - gasleft();
        if (bytes(source).length == 0) revert Probe_EmptySource();
    }

    /// @notice Gas to copy the source from the data contract's code to memory (EXTCODECOPY).
    function measureCodeRead() external view returns (uint256 gasUsed) {
        uint256 before = gasleft();
        bytes memory source = DataContract.read(_SOURCE_POINTER);
        gasUsed = before - gasleft();
        if (source.length == 0) revert Probe_EmptySource();
    }

    /// @notice Gas of FunctionsRequest's CBOR encoding of a request with the source already in memory.
    function measureEncode() external view returns (uint256 gasUsed) {
        string memory source = string(DataContract.read(_SOURCE_POINTER));
        uint256 before = gasleft();
        bytes memory data = _encode(source);
        gasUsed = before - gasleft();
        if (data.length == 0) revert Probe_EmptySource();
    }

    /// @notice Gas of the current path's request data: the args encoded, appended to the prefix copied
    /// from the data contract (reading and encoding together).
    function measurePrefixPath() external view returns (uint256 gasUsed) {
        uint256 before = gasleft();
        FunctionsRequest.Request memory req;
        req.setArgs(_args());
        bytes memory data = DataContract.readThenAppend(
            _PREFIX_POINTER,
            InlineRequestCbor.encodeAfterSource(req)
        );
        gasUsed = before - gasleft();
        if (data.length == 0) revert Probe_EmptySource();
    }

    /// @notice Gas of the router's work for the request (sendRequest through the coordinator), the data
    /// already encoded.
    function measureRouterSend() external returns (uint256 gasUsed) {
        bytes memory data = _encode(string(DataContract.read(_SOURCE_POINTER)));
        uint256 before = gasleft();
        _sendRequest(data, _SUBSCRIPTION_ID, 300_000, _DON_ID);
        gasUsed = before - gasleft();
    }

    /// @dev Never called: the probe only sends requests, it is never answered.
    // solhint-disable-next-line private-vars-leading-underscore, no-empty-blocks
    function fulfillRequest(bytes32, bytes memory, bytes memory) internal pure override {}

    function _encode(string memory source) private pure returns (bytes memory) {
        FunctionsRequest.Request memory req;
        req.initializeRequestForInlineJavaScript(source);
        req.setArgs(_args());
        return req.encodeCBOR();
    }

    function _args() private pure returns (string[] memory args) {
        args = new string[](3);
        args[0] = "uk-carbon-intensity";
        args[1] = "13";
        args[2] = "1767225600";
    }
}
