// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IEnergyRegistry} from "./interfaces/IEnergyRegistry.sol";
import {IJobStamps} from "./interfaces/IJobStamps.sol";
import {UnorderedNonces} from "./utils/UnorderedNonces.sol";

/// @title JobStamps
/// @notice Start/stop stamps of production jobs. See {IJobStamps}.
contract JobStamps is Context, EIP712, UnorderedNonces, IJobStamps {
    // The type strings are folded into constants at compile time, so their length costs no gas.
    /* solhint-disable gas-small-strings */
    bytes32 private constant _STAMP_TYPEHASH = keccak256(
        "JobStamp(bytes32 jobId,bytes32 siteId,uint8 action,bytes32[] machineIds,bytes32 productId,"
        "uint64 units,uint64 time,uint8 channel,uint256 nonce)"
    );
    /* solhint-enable gas-small-strings */
    uint8 private constant _START = 1;
    uint8 private constant _STOP = 2;
    uint8 private constant _WALLET = 0;
    uint8 private constant _MAX_CHANNEL = 4;
    uint64 private constant _MIN_AGE = 60;
    uint64 private constant _MAX_AGE = 30 days;
    uint64 private constant _MAX_SKEW = 15 minutes;

    IEnergyRegistry private immutable _REGISTRY;

    // Both rules in one slot: one cold read per relayed batch.
    uint64 private _maxStampAgeSeconds = 24 hours;
    uint64 private _maxClockSkewSeconds = 5 minutes;
    mapping(bytes32 siteId => mapping(bytes32 jobId => Job)) private _jobs;

    /// @param registry_ The registry of sites, roles, machines and products.
    constructor(IEnergyRegistry registry_) EIP712("Energy-Intelligence", "1") {
        _REGISTRY = registry_;
    }

    /// @inheritdoc IJobStamps
    function startJob(
        bytes32 siteId,
        bytes32 jobId,
        bytes32[] calldata machineIds,
        bytes32 productId
    ) external {
        address operator = _msgSender();
        if (!_REGISTRY.isOperator(siteId, operator)) revert Jobs_NotOperator(siteId, operator);
        _start(siteId, jobId, machineIds, productId, uint64(block.timestamp), _WALLET, operator);
    }

    /// @inheritdoc IJobStamps
    function stopJob(bytes32 siteId, bytes32 jobId, bytes32 productId, uint64 units) external {
        address operator = _msgSender();
        if (!_REGISTRY.isOperator(siteId, operator)) revert Jobs_NotOperator(siteId, operator);
        _stop(
            siteId,
            jobId,
            new bytes32[](0),
            productId,
            units,
            uint64(block.timestamp),
            _WALLET,
            operator
        );
    }

    /// @inheritdoc IJobStamps
    function stampMany(SignedJobStamp[] calldata stamps) external {
        uint256 count = stamps.length;
        if (count == 0) revert Jobs_EmptyBatch();
        uint64 maxAge = _maxStampAgeSeconds;
        uint64 maxSkew = _maxClockSkewSeconds;
        for (uint256 i = 0; i < count; ++i) {
            SignedJobStamp calldata signed = stamps[i];
            JobStamp calldata stamp = signed.stamp;
            address signer = signed.signer;
            _checkRelayed(stamp, maxAge, maxSkew);
            bytes32 siteId = stamp.siteId;
            if (!_REGISTRY.isOperator(siteId, signer) && !_REGISTRY.isOracle(siteId, signer)) {
                revert Jobs_SignerNotAuthorized(siteId, signer);
            }
            if (
                !SignatureChecker.isValidSignatureNow(
                    signer,
                    _hashTypedDataV4(_hashStamp(stamp)),
                    signed.signature
                )
            ) {
                revert Jobs_BadSignature(signer);
            }
            _useNonce(signer, stamp.nonce);
            if (stamp.action == _START) {
                if (stamp.units != 0) revert Jobs_UnitsOnStart(stamp.units);
                _start(
                    siteId,
                    stamp.jobId,
                    stamp.machineIds,
                    stamp.productId,
                    stamp.time,
                    stamp.channel,
                    signer
                );
            } else {
                _stop(
                    siteId,
                    stamp.jobId,
                    stamp.machineIds,
                    stamp.productId,
                    stamp.units,
                    stamp.time,
                    stamp.channel,
                    signer
                );
            }
        }
    }

    /// @inheritdoc IJobStamps
    function setClockRules(uint64 maxStampAgeSeconds, uint64 maxClockSkewSeconds) external {
        if (!_REGISTRY.hasRole(bytes32(0), _msgSender())) revert Jobs_NotAdmin(_msgSender());
        if (
            maxStampAgeSeconds < _MIN_AGE ||
            maxStampAgeSeconds > _MAX_AGE ||
            maxClockSkewSeconds > _MAX_SKEW
        ) {
            revert Jobs_ClockRuleOutOfRange(maxStampAgeSeconds, maxClockSkewSeconds);
        }
        _maxStampAgeSeconds = maxStampAgeSeconds;
        _maxClockSkewSeconds = maxClockSkewSeconds;
        emit ClockRulesSet(maxStampAgeSeconds, maxClockSkewSeconds);
    }

    /// @inheritdoc IJobStamps
    function clockRules()
        external
        view
        returns (uint64 maxStampAgeSeconds, uint64 maxClockSkewSeconds)
    {
        return (_maxStampAgeSeconds, _maxClockSkewSeconds);
    }

    /// @inheritdoc IJobStamps
    function job(bytes32 siteId, bytes32 jobId) external view returns (Job memory) {
        return _jobs[siteId][jobId];
    }

    /// @inheritdoc IJobStamps
    function productTag(bytes32 productId) external pure returns (bytes8) {
        return _productTag(productId);
    }

    /// @inheritdoc IJobStamps
    function stampDigest(JobStamp calldata stamp) external view returns (bytes32) {
        return _hashTypedDataV4(_hashStamp(stamp));
    }

    /// @inheritdoc IJobStamps
    function registry() external view returns (address) {
        return address(_REGISTRY);
    }

    function _start(
        bytes32 siteId,
        bytes32 jobId,
        bytes32[] calldata machineIds,
        bytes32 productId,
        uint64 time,
        uint8 channel,
        address stampedBy
    ) private {
        Job storage slot = _jobs[siteId][jobId];
        if (slot.startedAt != 0) revert Jobs_AlreadyStarted(siteId, jobId);
        // The product and machines are not looked up in the registry here: two more cold reads (~4,200 gas)
        // would push a start past its 60,000 gas budget. The lot mint checks the product; the oracle that
        // signs the footprint counts only its own site's machines.
        if (machineIds.length == 0) revert Jobs_NoMachines();
        // The one fresh slot of a start. `time` is never zero here: block time is not, and a relayed time
        // of zero is older than any allowed age. So `startedAt != 0` reliably means "started".
        _jobs[siteId][jobId] = Job({
            startedAt: time,
            stoppedAt: 0,
            units: 0,
            productTag: _productTag(productId)
        });
        emit JobStarted(siteId, jobId, stampedBy, productId, machineIds, time, channel);
    }

    function _stop(
        bytes32 siteId,
        bytes32 jobId,
        bytes32[] memory machineIds,
        bytes32 productId,
        uint64 units,
        uint64 time,
        uint8 channel,
        address stampedBy
    ) private {
        Job storage slot = _jobs[siteId][jobId];
        Job memory current = slot;
        if (current.startedAt == 0) revert Jobs_NotStarted(siteId, jobId);
        if (current.stoppedAt != 0) revert Jobs_AlreadyStopped(siteId, jobId);
        if (units == 0) revert Jobs_ZeroUnits(jobId);
        if (current.productTag != _productTag(productId))
            revert Jobs_ProductMismatch(jobId, productId);
        // A job is the half-open window [start, stop), so stop must be strictly later.
        // solhint-disable-next-line gas-strict-inequalities
        if (time <= current.startedAt)
            revert Jobs_StopNotAfterStart(jobId, current.startedAt, time);
        // Rewrites the job's existing slot: no fresh storage.
        slot.stoppedAt = time;
        slot.units = units;
        emit JobStopped(siteId, jobId, stampedBy, productId, machineIds, units, time, channel);
    }

    function _checkRelayed(JobStamp calldata stamp, uint64 maxAge, uint64 maxSkew) private view {
        uint8 action = stamp.action;
        if (action != _START && action != _STOP) revert Jobs_UnknownAction(action);
        uint8 channel = stamp.channel;
        if (channel == _WALLET || channel > _MAX_CHANNEL) revert Jobs_ChannelNotRelayable(channel);
        uint64 time = stamp.time;
        // Compare in uint256 so neither side can underflow or overflow.
        if (uint256(time) + maxAge < block.timestamp)
            revert Jobs_StampTooOld(time, block.timestamp, maxAge);
        if (uint256(time) > block.timestamp + maxSkew)
            revert Jobs_StampInFuture(time, block.timestamp, maxSkew);
    }

    function _hashStamp(JobStamp calldata stamp) private pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    _STAMP_TYPEHASH,
                    stamp.jobId,
                    stamp.siteId,
                    stamp.action,
                    keccak256(abi.encodePacked(stamp.machineIds)),
                    stamp.productId,
                    stamp.units,
                    stamp.time,
                    stamp.channel,
                    stamp.nonce
                )
            );
    }

    function _productTag(bytes32 productId) private pure returns (bytes8) {
        return bytes8(keccak256(abi.encode(productId)));
    }
}
