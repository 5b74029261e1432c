// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Grid carbon intensity brought on chain with Chainlink Functions
/// @notice A requester asks for the grid intensity of one region and one hour; the Functions DON runs the
/// request source (functions/source/gridIntensity.js) against a public API and answers with one uint256,
/// the intensity in milligrams CO2(e) per kilowatt-hour. Each request leaves a record: fulfilled with its
/// value, or failed, rejected or timed out with a specific reason. Never a silent zero: a record that is
/// not `Fulfilled` carries no value, and {intensityOf} only returns fulfilled records.
interface IGridIntensityConsumer {
    /// @notice Where a record stands. Pending until the DON answers or the request times out.
    /// None 0, Pending 1, Fulfilled 2, Failed 3 (the source or the DON reported an error), Rejected 4 (an
    /// answer the contract refuses: empty, malformed, negative or absurd), TimedOut 5.
    /// @dev uint8 constants rather than an enum keep the ABI readable by every client as a number.
    struct IntensityRecord {
        bytes32 region;
        uint40 hourStart;
        uint8 source;
        uint8 status;
        uint8 reason;
        uint40 requestedAt;
        uint40 settledAt;
        uint32 milligramsPerKilowattHour;
    }

    /// @notice The request settings. `source` is the JavaScript the DON runs.
    /// @param subscriptionId The Functions subscription billed for requests.
    /// @param donId The DON to send requests to (e.g. "fun-base-mainnet-1" as bytes32).
    /// @param callbackGasLimit Gas available to the fulfilment callback.
    /// @param requestTimeoutSeconds After this long a pending request may be marked timed out by anyone.
    /// @param maxMilligramsPerKilowattHour Answers above this are rejected as absurd.
    struct RequestConfig {
        uint64 subscriptionId;
        uint32 callbackGasLimit;
        uint32 requestTimeoutSeconds;
        uint32 maxMilligramsPerKilowattHour;
        bytes32 donId;
    }

    /// @notice Secrets the DON decrypts for the source (API keys). Location 0 none, 1 remote (encrypted
    /// secrets URLs, `encryptedSecretsUrls` = the encrypted URLs), 2 DON-hosted (`slotId`, `version`).
    struct SecretsConfig {
        uint8 location;
        uint8 slotId;
        uint64 version;
        bytes encryptedSecretsUrls;
    }

    /// @notice A request was sent to the router.
    event IntensityRequested(
        bytes32 indexed requestId,
        bytes32 indexed region,
        uint40 indexed hourStart,
        uint8 source,
        address requester
    );
    /// @notice The DON answered with a value inside the bounds; it is now the region's figure for the hour.
    event IntensityRecorded(
        bytes32 indexed requestId,
        bytes32 indexed region,
        uint40 indexed hourStart,
        uint8 source,
        uint32 milligramsPerKilowattHour
    );
    /// @notice The request ended without a value: `status` Failed, Rejected or TimedOut, with `reason`
    /// (see {reasonName}) and the DON's error bytes or the refused answer in `detail`.
    event IntensityNotRecorded(
        bytes32 indexed requestId,
        bytes32 indexed region,
        uint40 indexed hourStart,
        uint8 status,
        uint8 reason,
        bytes detail
    );
    /// @notice An answer arrived for a request already marked timed out; it was ignored.
    event LateFulfilmentIgnored(bytes32 indexed requestId);
    /// @notice The request settings changed.
    // solhint-disable-next-line gas-indexed-events
    event RequestConfigSet(
        uint64 subscriptionId,
        bytes32 donId,
        uint32 callbackGasLimit,
        uint32 requestTimeoutSeconds,
        uint32 maxMilligramsPerKilowattHour
    );
    /// @notice The secrets reference changed.
    // solhint-disable-next-line gas-indexed-events
    event SecretsConfigSet(
        uint8 location,
        uint8 slotId,
        uint64 version,
        bytes encryptedSecretsUrls
    );
    /// @notice The request source changed; `sourceHash` = keccak256 of its UTF-8 bytes.
    event SourceSet(bytes32 indexed sourceHash);

    /// @notice The caller lacks the registry's DEFAULT_ADMIN_ROLE.
    error Intensity_NotAdmin(address account);
    /// @notice The caller lacks the registry's INTENSITY_REQUESTER_ROLE.
    error Intensity_NotRequester(address account);
    /// @notice The region is empty, or not a right-padded ASCII short string.
    error Intensity_InvalidRegion(bytes32 region);
    /// @notice The hour start is not a multiple of 3600 or lies in the future.
    error Intensity_InvalidHour(uint40 hourStart);
    /// @notice The source code is not 1 (UK Carbon Intensity API) or 2 (Electricity Maps).
    error Intensity_UnknownSource(uint8 source);
    /// @notice A settings value out of range (zero gas, zero timeout, zero or absurd bound, empty source, or
    /// a source whose request prefix exceeds one contract's code: over about 24 KB).
    error Intensity_InvalidConfig();
    /// @notice The secrets location is not 0, 1 or 2, or its URLs do not fit it.
    error Intensity_InvalidSecrets(uint8 location);
    /// @notice No request with this id was sent by this contract.
    error Intensity_UnknownRequest(bytes32 requestId);
    /// @notice The request is no longer pending (settled already).
    error Intensity_NotPending(bytes32 requestId, uint8 status);
    /// @notice The request may not be marked timed out before `deadline`.
    error Intensity_NotTimedOut(bytes32 requestId, uint256 deadline);
    /// @notice No fulfilled record for this region, hour and source.
    error Intensity_NoRecord(bytes32 region, uint40 hourStart, uint8 source);

    /// @notice Sends a Functions request for `region`'s intensity in the hour starting at `hourStart`.
    /// Requesters only (the registry's INTENSITY_REQUESTER_ROLE): each request costs the subscription LINK.
    /// @param region The region as the source names it, as a right-padded ASCII short string: a UK Carbon
    /// Intensity region id ("13") or "GB", or an Electricity Maps zone ("DE", "PL").
    /// @param hourStart Start of the hour, Unix seconds, a multiple of 3600, not in the future.
    /// @param source 1 UK Carbon Intensity API, 2 Electricity Maps.
    /// @return requestId The router's request id; the record is kept under it.
    function requestIntensity(
        bytes32 region,
        uint40 hourStart,
        uint8 source
    ) external returns (bytes32 requestId);

    /// @notice Marks a request that the DON has not answered within the timeout as timed out. Anyone.
    /// @param requestId The pending request.
    function markTimedOut(bytes32 requestId) external;

    /// @notice Replaces the request settings. Registry admins only.
    function setRequestConfig(RequestConfig calldata config) external;

    /// @notice Replaces the secrets reference (after uploading new DON-hosted secrets). Registry admins only.
    function setSecretsConfig(SecretsConfig calldata secrets) external;

    /// @notice Replaces the JavaScript the DON runs. Registry admins only. The source is kept, already
    /// CBOR-encoded as the start of every request, in the code of a new data contract (written once, read
    /// with one EXTCODECOPY per request), so it may be at most 24,473 bytes; emits {SourceSet}.
    /// @param source The request source (functions/source/gridIntensity.js), not empty.
    function setSource(string calldata source) external;

    /// @notice The record kept for a request (status None when unknown).
    function recordOf(bytes32 requestId) external view returns (IntensityRecord memory);

    /// @notice The latest fulfilled record of a region, hour and source, and its request id. Reverts with
    /// {Intensity_NoRecord} when none exists: a missing hour is an error, never a zero.
    function intensityOf(
        bytes32 region,
        uint40 hourStart,
        uint8 source
    ) external view returns (bytes32 requestId, IntensityRecord memory record);

    /// @notice The id of the latest request (any status) for a region, hour and source; zero when none.
    function latestRequestOf(
        bytes32 region,
        uint40 hourStart,
        uint8 source
    ) external view returns (bytes32);

    /// @notice The current request settings.
    function requestConfig() external view returns (RequestConfig memory);

    /// @notice keccak256 of the current request source.
    function sourceHash() external view returns (bytes32);

    /// @notice The name of a reason code: 0 "", 1 "source-error", 2 "empty-response", 3 "malformed-response",
    /// 4 "negative-intensity", 5 "absurd-intensity", 6 "timed-out".
    function reasonName(uint8 reason) external pure returns (string memory);
}
