// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Invariant handlers swallow reverts on purpose (empty catch blocks: a rejected call is an expected outcome)
// and expose their wiring as public getters for the invariant contracts.
/* solhint-disable no-empty-blocks, immutable-vars-naming, gas-small-strings */

import {JobStamps} from "../../JobStamps.sol";
import {ProductLots} from "../../ProductLots.sol";
import {IProductLots} from "../../interfaces/IProductLots.sol";
import {Vm} from "../utils/Vm.sol";

/// @title LotsHandler
/// @notice Invariant-test actor (an operator of the site): starts and stops jobs, mints lots from
/// oracle-signed footprints with honest or wrong units, and moves lot units between holders.
contract LotsHandler {
    Vm private constant _VM = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    JobStamps public immutable jobs;
    ProductLots public immutable lots;
    bytes32 public immutable siteId;
    bytes32 public immutable productId;
    bytes32 public immutable machineId;
    uint256 public immutable oracleKey;
    address public immutable siteOwner;

    uint256 private _nextJob;
    uint256 private _nextNonce;
    uint256[] public lotIds;

    constructor(
        JobStamps jobs_,
        ProductLots lots_,
        bytes32 siteId_,
        bytes32 productId_,
        bytes32 machineId_,
        uint256 oracleKey_,
        address siteOwner_
    ) {
        jobs = jobs_;
        lots = lots_;
        siteId = siteId_;
        productId = productId_;
        machineId = machineId_;
        oracleKey = oracleKey_;
        siteOwner = siteOwner_;
    }

    function lotCount() external view returns (uint256) {
        return lotIds.length;
    }

    /// Runs a whole job (start, one second later stop with `units`) and returns its id.
    function runJob(uint64 units) public returns (bytes32 jobId) {
        jobId = bytes32(++_nextJob);
        bytes32[] memory machines = new bytes32[](1);
        machines[0] = machineId;
        jobs.startJob(siteId, jobId, machines, productId);
        _VM.warp(block.timestamp + 1);
        try jobs.stopJob(siteId, jobId, productId, units) {} catch {}
    }

    /// Mints a lot over the last `count` jobs, declaring their units plus `skew` (zero is honest).
    function mintLot(uint8 count, uint8 skew) external {
        count = uint8(1 + (count % 3));
        if (_nextJob < count) return;
        bytes32[] memory jobIds = new bytes32[](count);
        uint256 units = 0;
        for (uint256 i = 0; i < count; ++i) {
            jobIds[i] = bytes32(_nextJob - i);
            units += jobs.job(siteId, jobIds[i]).units;
        }
        IProductLots.Footprint memory footprint = IProductLots.Footprint({
            siteId: siteId,
            productId: productId,
            jobIds: jobIds,
            units: uint64(units + (skew % 4 == 0 ? 0 : skew)),
            cid: hex"0155122000",
            energyMilliWattHours: 1_000_000,
            emissionsLocationMilligramsCo2e: 500_000,
            emissionsMarketMilligramsCo2e: 400_000,
            nonce: ++_nextNonce
        });
        bytes32 digest = _digest(lots.hashFootprint(footprint));
        (uint8 v, bytes32 r, bytes32 s) = _VM.sign(oracleKey, digest);
        try lots.mint(footprint, _VM.addr(oracleKey), abi.encodePacked(r, s, v)) returns (
            uint256 lotId
        ) {
            lotIds.push(lotId);
        } catch {}
    }

    /// Moves some units of a lot from the site owner to a buyer: supply must not change.
    function sell(uint256 lotIndex, uint64 amount, address buyer) external {
        if (lotIds.length == 0 || buyer == address(0) || buyer.code.length != 0) return;
        uint256 lotId = lotIds[lotIndex % lotIds.length];
        uint256 balance = lots.balanceOf(siteOwner, lotId);
        if (balance == 0) return;
        _VM.prank(siteOwner);
        lots.safeTransferFrom(siteOwner, buyer, lotId, amount % (balance + 1), "");
    }

    function _digest(bytes32 structHash) private view returns (bytes32) {
        (
            ,
            string memory name,
            string memory version,
            uint256 chainId,
            address verifyingContract,
            ,

        ) = lots.eip712Domain();
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifyingContract
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }
}
