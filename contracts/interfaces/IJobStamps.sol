// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Production job stamps: start and stop of a job on machines, stamped directly or relayed
/// @notice Operators stamp from a wallet (channel 0, time = block time). Other channels (1 portal, 2 api,
/// 3 sms, 4 relay) submit an EIP-712 `JobStamp` signed by an operator or an oracle of the site, through any
/// relayer. A job is keyed by (site, job id) and uses exactly one storage slot.
interface IJobStamps {
    /// @notice A signed stamp, field for field the sdk's EIP-712 `JobStamp`.
    /// @param action 1 start, 2 stop.
    /// @param units Units produced; zero on start, non-zero on stop.
    /// @param time When the gateway received the stamp, Unix seconds.
    /// @param channel 1 portal, 2 api, 3 sms, 4 relay (0, wallet, is for direct stamps only).
    /// @param nonce Unordered nonce of the signer (see {IUnorderedNonces}).
    // Field order is the EIP-712 type the sdk signs (sdk/src/eip712/types.ts); it is calldata, never stored.
    // solhint-disable-next-line gas-struct-packing
    struct JobStamp {
        bytes32 jobId;
        bytes32 siteId;
        uint8 action;
        bytes32[] machineIds;
        bytes32 productId;
        uint64 units;
        uint64 time;
        uint8 channel;
        uint256 nonce;
    }

    /// @notice A relayed stamp with its signer and signature.
    struct SignedJobStamp {
        JobStamp stamp;
        address signer;
        bytes signature;
    }

    /// @notice The one slot a job occupies. Times are Unix seconds; zero means "not yet".
    /// @param productTag `bytes8(keccak256(abi.encode(productId)))`: lets a stop (and a lot) check it names
    /// the product the job started with, without a second slot.
    struct Job {
        uint64 startedAt;
        uint64 stoppedAt;
        uint64 units;
        bytes8 productTag;
    }

    /// @notice A job started.
    /// @param stampedBy The operator's wallet (channel 0) or the signer of a relayed stamp.
    event JobStarted(
        bytes32 indexed siteId,
        bytes32 indexed jobId,
        address indexed stampedBy,
        bytes32 productId,
        bytes32[] machineIds,
        uint64 time,
        uint8 channel
    );

    /// @notice A job stopped with `units` produced.
    event JobStopped(
        bytes32 indexed siteId,
        bytes32 indexed jobId,
        address indexed stampedBy,
        bytes32 productId,
        bytes32[] machineIds,
        uint64 units,
        uint64 time,
        uint8 channel
    );

    /// @notice The relayed-stamp clock window changed.
    // Block numbers and settings are values a reader wants in the data, not keys to filter logs by.
    // solhint-disable-next-line gas-indexed-events
    event ClockRulesSet(uint64 maxStampAgeSeconds, uint64 maxClockSkewSeconds);

    /// @notice The caller is not a registry admin.
    error Jobs_NotAdmin(address account);
    /// @notice The caller is not an operator of the site.
    error Jobs_NotOperator(bytes32 siteId, address account);
    /// @notice The signer of a relayed stamp is neither an operator nor an oracle of the site.
    error Jobs_SignerNotAuthorized(bytes32 siteId, address signer);
    /// @notice The signature does not verify for the signer.
    error Jobs_BadSignature(address signer);
    /// @notice `stampMany` got no stamps.
    error Jobs_EmptyBatch();
    /// @notice The action is neither 1 (start) nor 2 (stop).
    error Jobs_UnknownAction(uint8 action);
    /// @notice Relayed stamps use channels 1..4; 0 (wallet) is for direct stamps.
    error Jobs_ChannelNotRelayable(uint8 channel);
    /// @notice The relayed stamp's time is older than the allowed age.
    error Jobs_StampTooOld(uint64 time, uint256 blockTime, uint64 maxStampAgeSeconds);
    /// @notice The relayed stamp's time is later than block time plus the allowed skew.
    error Jobs_StampInFuture(uint64 time, uint256 blockTime, uint64 maxClockSkewSeconds);
    /// @notice A start names no machine.
    error Jobs_NoMachines();
    /// @notice A start carried units; units are counted at stop.
    error Jobs_UnitsOnStart(uint64 units);
    /// @notice The job was started before.
    error Jobs_AlreadyStarted(bytes32 siteId, bytes32 jobId);
    /// @notice A stop for a job that was never started.
    error Jobs_NotStarted(bytes32 siteId, bytes32 jobId);
    /// @notice The job was stopped before.
    error Jobs_AlreadyStopped(bytes32 siteId, bytes32 jobId);
    /// @notice A stop with zero units.
    error Jobs_ZeroUnits(bytes32 jobId);
    /// @notice The stop names another product than the start.
    error Jobs_ProductMismatch(bytes32 jobId, bytes32 productId);
    /// @notice The stop time is not after the start time (jobs are half-open [start, stop)).
    error Jobs_StopNotAfterStart(bytes32 jobId, uint64 startedAt, uint64 stopTime);
    /// @notice A clock rule outside its bounds (age 60 s..30 days, skew at most 15 min).
    error Jobs_ClockRuleOutOfRange(uint64 maxStampAgeSeconds, uint64 maxClockSkewSeconds);

    /// @notice Starts a job from an operator's wallet; time is the block time.
    /// @param machineIds Machines of the site the job runs on, at least one. Not looked up on chain (gas);
    /// the oracle computing the footprint counts only machines registered at the site.
    /// @param productId A product of the site. Not looked up on chain here; {IProductLots-mint} checks it.
    function startJob(
        bytes32 siteId,
        bytes32 jobId,
        bytes32[] calldata machineIds,
        bytes32 productId
    ) external;

    /// @notice Stops a job from an operator's wallet with the units produced; time is the block time.
    /// @param productId Must be the product the job started with.
    function stopJob(bytes32 siteId, bytes32 jobId, bytes32 productId, uint64 units) external;

    /// @notice Applies relayed stamps in order, all or nothing; anyone may send them.
    /// @dev Each stamp is signed by an operator or an oracle of its site, within the clock rules, with an
    /// unused nonce.
    function stampMany(SignedJobStamp[] calldata stamps) external;

    /// @notice Sets the relayed-stamp clock window. Registry admin only.
    /// @param maxStampAgeSeconds How long after its signed time a stamp is still accepted (default 24 h).
    /// @param maxClockSkewSeconds How far ahead of block time a signed time may be (default 5 min).
    function setClockRules(uint64 maxStampAgeSeconds, uint64 maxClockSkewSeconds) external;

    /// @notice The relayed-stamp clock window.
    function clockRules()
        external
        view
        returns (uint64 maxStampAgeSeconds, uint64 maxClockSkewSeconds);

    /// @notice A job's slot; all zero when unknown.
    function job(bytes32 siteId, bytes32 jobId) external view returns (Job memory);

    /// @notice The tag a job keeps of its product.
    function productTag(bytes32 productId) external pure returns (bytes8);

    /// @notice The EIP-712 digest of a stamp, as signed.
    function stampDigest(JobStamp calldata stamp) external view returns (bytes32);

    /// @notice The registry this contract takes roles from.
    function registry() external view returns (address);
}
