// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Invariant handlers swallow reverts on purpose (empty catch blocks: a rejected call is an expected outcome)
// and expose their wiring as public getters for the invariant contracts.
/* solhint-disable no-empty-blocks, immutable-vars-naming, gas-small-strings */

import {DataContainers} from "../../DataContainers.sol";
import {IDataContainers} from "../../interfaces/IDataContainers.sol";
import {Vm} from "../utils/Vm.sol";

/// @title ContainersHandler
/// @notice Invariant-test actor: anchors headers over a small space of periods (so repeats happen), signed
/// by the oracle or by other keys, and records what the contract accepted.
contract ContainersHandler {
    Vm private constant _VM = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    DataContainers public immutable containers;
    bytes32 public immutable siteId;
    uint256 public immutable oracleKey;

    uint256[] public anchoredIds;
    mapping(uint256 id => bool) public seen;
    uint256 public duplicatesAccepted;
    uint256 public nonOracleAccepted;

    constructor(DataContainers containers_, bytes32 siteId_, uint256 oracleKey_) {
        containers = containers_;
        siteId = siteId_;
        oracleKey = oracleKey_;
    }

    function anchoredCount() external view returns (uint256) {
        return anchoredIds.length;
    }

    /// @param slot Which of 16 hourly periods; @param signerKey 0 means the oracle, else another key.
    function anchor(uint8 slot, uint8 streamIndex, uint256 signerKey, bytes32 root) external {
        if (root == bytes32(0)) root = keccak256("root");
        uint256 key = signerKey % 4 == 0 ? oracleKey : (signerKey % 2 ** 64) + 0xBEEF;
        IDataContainers.ContainerHeader memory h;
        h.siteId = siteId;
        h.streamId = bytes32(uint256(streamIndex % 2));
        h.periodStart = uint64(slot % 16) * 3600;
        h.periodEnd = h.periodStart + 3600;
        h.merkleRoot = root;
        h.cid = abi.encodePacked(root);
        IDataContainers.ContainerHeader[] memory headers = new IDataContainers.ContainerHeader[](1);
        headers[0] = h;
        (uint8 v, bytes32 r, bytes32 s) = _VM.sign(key, containers.batchDigest(headers));
        address signer = _VM.addr(key);
        try containers.anchor(h, signer, abi.encodePacked(r, s, v)) returns (uint256 id) {
            if (key != oracleKey) ++nonOracleAccepted;
            if (seen[id]) ++duplicatesAccepted;
            seen[id] = true;
            anchoredIds.push(id);
        } catch {
            // Rejections are the point; the invariants check nothing slipped through.
        }
    }
}
