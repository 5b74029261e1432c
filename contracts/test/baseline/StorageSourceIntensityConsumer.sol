// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {FunctionsClient} from "@chainlink/contracts/src/v0.8/functions/v1_0_0/FunctionsClient.sol";
import {FunctionsRequest} from "@chainlink/contracts/src/v0.8/functions/v1_0_0/libraries/FunctionsRequest.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IEnergyRegistry} from "../../interfaces/IEnergyRegistry.sol";
import {IGridIntensityConsumer} from "../../interfaces/IGridIntensityConsumer.sol";

/// @title StorageSourceIntensityConsumer
/// @notice Baseline for `npm run bench -- gas` only: GridIntensityConsumer as it was before issue #9's gas
/// work, keeping the request source in a storage string read on every request (one cold SLOAD per 32
/// bytes). Measured in the same run as the current contract, so the ratio compares like with like.
contract StorageSourceIntensityConsumer is FunctionsClient, IGridIntensityConsumer {
    using FunctionsRequest for FunctionsRequest.Request;

    /// @notice Global role (in the registry) of accounts that may spend the subscription on requests.
    bytes32 public constant INTENSITY_REQUESTER_ROLE = keccak256("INTENSITY_REQUESTER_ROLE");

    uint8 private constant _PENDING = 1;
    uint8 private constant _FULFILLED = 2;
    uint8 private constant _FAILED = 3;
    uint8 private constant _REJECTED = 4;
    uint8 private constant _TIMED_OUT = 5;

    uint8 private constant _SOURCE_ERROR = 1;
    uint8 private constant _EMPTY_RESPONSE = 2;
    uint8 private constant _MALFORMED_RESPONSE = 3;
    uint8 private constant _NEGATIVE = 4;
    uint8 private constant _ABSURD = 5;
    uint8 private constant _TIMEOUT = 6;

    uint8 private constant _UK_CARBON_INTENSITY = 1;
    uint8 private constant _ELECTRICITY_MAPS = 2;

    /// @dev 10 kg/kWh: far above any grid (lignite is ~1.1 kg/kWh), so a bound above it is a typo.
    uint32 private constant _MAX_BOUND = 10_000_000;

    IEnergyRegistry private immutable _REGISTRY;

    RequestConfig private _config;
    SecretsConfig private _secrets;
    string private _source;
    mapping(bytes32 requestId => IntensityRecord) private _records;
    mapping(bytes32 slot => bytes32 requestId) private _latestRequest;
    mapping(bytes32 slot => bytes32 requestId) private _latestFulfilled;

    /// @param router The Functions router of the chain.
    /// @param registry_ Holds the admin and requester roles.
    /// @param config Subscription, DON, callback gas, timeout and the absurd-value bound.
    /// @param source The JavaScript the DON runs (functions/source/gridIntensity.js).
    constructor(
        address router,
        IEnergyRegistry registry_,
        RequestConfig memory config,
        string memory source
    ) FunctionsClient(router) {
        _REGISTRY = registry_;
        _setRequestConfig(config);
        _setSource(source);
    }

    modifier onlyAdmin() {
        if (!_REGISTRY.hasRole(bytes32(0), msg.sender)) revert Intensity_NotAdmin(msg.sender);
        _;
    }

    /// @inheritdoc IGridIntensityConsumer
    function requestIntensity(
        bytes32 region,
        uint40 hourStart,
        uint8 source
    ) external returns (bytes32 requestId) {
        if (!_REGISTRY.hasRole(INTENSITY_REQUESTER_ROLE, msg.sender))
            revert Intensity_NotRequester(msg.sender);
        if (source != _UK_CARBON_INTENSITY && source != _ELECTRICITY_MAPS)
            revert Intensity_UnknownSource(source);
        if (hourStart % 3600 != 0 || hourStart > block.timestamp)
            revert Intensity_InvalidHour(hourStart);
        string memory regionText = _regionText(region);

        FunctionsRequest.Request memory req;
        req.initializeRequestForInlineJavaScript(_source);
        string[] memory args = new string[](3);
        args[0] = source == _UK_CARBON_INTENSITY ? "uk-carbon-intensity" : "electricity-maps";
        args[1] = regionText;
        args[2] = Strings.toString(hourStart);
        req.setArgs(args);
        SecretsConfig storage secrets = _secrets;
        if (secrets.location == 1) req.addSecretsReference(secrets.encryptedSecretsUrls);
        else if (secrets.location == 2) req.addDONHostedSecrets(secrets.slotId, secrets.version);

        RequestConfig storage config = _config;
        requestId = _sendRequest(
            req.encodeCBOR(),
            config.subscriptionId,
            config.callbackGasLimit,
            config.donId
        );
        _records[requestId] = IntensityRecord({
            region: region,
            hourStart: hourStart,
            source: source,
            status: _PENDING,
            reason: 0,
            requestedAt: uint40(block.timestamp),
            settledAt: 0,
            milligramsPerKilowattHour: 0
        });
        _latestRequest[_slot(region, hourStart, source)] = requestId;
        emit IntensityRequested(requestId, region, hourStart, source, msg.sender);
    }

    /// @inheritdoc IGridIntensityConsumer
    function markTimedOut(bytes32 requestId) external {
        IntensityRecord storage record = _records[requestId];
        uint8 status = record.status;
        if (status == 0) revert Intensity_UnknownRequest(requestId);
        if (status != _PENDING) revert Intensity_NotPending(requestId, status);
        uint256 deadline = uint256(record.requestedAt) + _config.requestTimeoutSeconds;
        if (block.timestamp < deadline) revert Intensity_NotTimedOut(requestId, deadline);
        _settleWithout(requestId, record, _TIMED_OUT, _TIMEOUT, "");
    }

    /// @inheritdoc IGridIntensityConsumer
    function setRequestConfig(RequestConfig calldata config) external onlyAdmin {
        _setRequestConfig(config);
    }

    /// @inheritdoc IGridIntensityConsumer
    function setSecretsConfig(SecretsConfig calldata secrets) external onlyAdmin {
        uint8 location = secrets.location;
        bool fits =
            (location == 0 && secrets.encryptedSecretsUrls.length == 0) ||
                (location == 1 && secrets.encryptedSecretsUrls.length != 0) ||
                (location == 2 && secrets.encryptedSecretsUrls.length == 0);
        if (!fits) revert Intensity_InvalidSecrets(location);
        _secrets = secrets;
        emit SecretsConfigSet(
            location,
            secrets.slotId,
            secrets.version,
            secrets.encryptedSecretsUrls
        );
    }

    /// @inheritdoc IGridIntensityConsumer
    function setSource(string calldata source) external onlyAdmin {
        _setSource(source);
    }

    /// @inheritdoc IGridIntensityConsumer
    function recordOf(bytes32 requestId) external view returns (IntensityRecord memory) {
        return _records[requestId];
    }

    /// @inheritdoc IGridIntensityConsumer
    function intensityOf(
        bytes32 region,
        uint40 hourStart,
        uint8 source
    ) external view returns (bytes32 requestId, IntensityRecord memory record) {
        requestId = _latestFulfilled[_slot(region, hourStart, source)];
        if (requestId == bytes32(0)) revert Intensity_NoRecord(region, hourStart, source);
        record = _records[requestId];
    }

    /// @inheritdoc IGridIntensityConsumer
    function latestRequestOf(
        bytes32 region,
        uint40 hourStart,
        uint8 source
    ) external view returns (bytes32) {
        return _latestRequest[_slot(region, hourStart, source)];
    }

    /// @inheritdoc IGridIntensityConsumer
    function requestConfig() external view returns (RequestConfig memory) {
        return _config;
    }

    /// @inheritdoc IGridIntensityConsumer
    function sourceHash() external view returns (bytes32) {
        return keccak256(bytes(_source));
    }

    /// @inheritdoc IGridIntensityConsumer
    function reasonName(uint8 reason) external pure returns (string memory) {
        if (reason == _SOURCE_ERROR) return "source-error";
        if (reason == _EMPTY_RESPONSE) return "empty-response";
        if (reason == _MALFORMED_RESPONSE) return "malformed-response";
        if (reason == _NEGATIVE) return "negative-intensity";
        if (reason == _ABSURD) return "absurd-intensity";
        if (reason == _TIMEOUT) return "timed-out";
        return "";
    }

    /// @dev Called by the router (checked in FunctionsClient). Never reverts for a bad answer: every outcome
    /// is recorded, so a failing source cannot leave a request pending forever or look like a zero.
    // solhint-disable-next-line private-vars-leading-underscore
    function fulfillRequest(
        bytes32 requestId,
        bytes memory response,
        bytes memory err
    ) internal override {
        IntensityRecord storage record = _records[requestId];
        uint8 status = record.status;
        if (status == 0) revert Intensity_UnknownRequest(requestId);
        if (status == _TIMED_OUT) {
            emit LateFulfilmentIgnored(requestId);
            return;
        }
        if (status != _PENDING) revert Intensity_NotPending(requestId, status);
        if (err.length != 0) return _settleWithout(requestId, record, _FAILED, _SOURCE_ERROR, err);
        if (response.length == 0)
            return _settleWithout(requestId, record, _REJECTED, _EMPTY_RESPONSE, response);
        // The source answers Functions.encodeUint256: exactly one 32-byte word.
        if (response.length != 32) {
            return _settleWithout(requestId, record, _REJECTED, _MALFORMED_RESPONSE, response);
        }
        uint256 value = abi.decode(response, (uint256));
        // A source that encoded a negative int256 yields a word with the top bit set.
        if (int256(value) < 0)
            return _settleWithout(requestId, record, _REJECTED, _NEGATIVE, response);
        if (value > _config.maxMilligramsPerKilowattHour) {
            return _settleWithout(requestId, record, _REJECTED, _ABSURD, response);
        }
        record.status = _FULFILLED;
        record.settledAt = uint40(block.timestamp);
        // value <= maxMilligramsPerKilowattHour, a uint32.
        record.milligramsPerKilowattHour = uint32(value);
        bytes32 region = record.region;
        uint40 hourStart = record.hourStart;
        uint8 source = record.source;
        _latestFulfilled[_slot(region, hourStart, source)] = requestId;
        emit IntensityRecorded(requestId, region, hourStart, source, uint32(value));
    }

    function _settleWithout(
        bytes32 requestId,
        IntensityRecord storage record,
        uint8 status,
        uint8 reason,
        bytes memory detail
    ) private {
        record.status = status;
        record.reason = reason;
        record.settledAt = uint40(block.timestamp);
        emit IntensityNotRecorded(
            requestId,
            record.region,
            record.hourStart,
            status,
            reason,
            detail
        );
    }

    function _setRequestConfig(RequestConfig memory config) private {
        if (
            config.callbackGasLimit == 0 ||
            config.requestTimeoutSeconds == 0 ||
            config.maxMilligramsPerKilowattHour == 0 ||
            config.maxMilligramsPerKilowattHour > _MAX_BOUND
        ) revert Intensity_InvalidConfig();
        _config = config;
        emit RequestConfigSet(
            config.subscriptionId,
            config.donId,
            config.callbackGasLimit,
            config.requestTimeoutSeconds,
            config.maxMilligramsPerKilowattHour
        );
    }

    function _setSource(string memory source) private {
        if (bytes(source).length == 0) revert Intensity_InvalidConfig();
        _source = source;
        emit SourceSet(keccak256(bytes(source)));
    }

    /// @dev The region as text: its bytes up to the first zero, each a letter, digit, '-' or '_', none after.
    function _regionText(bytes32 region) private pure returns (string memory) {
        uint256 length = 0;
        while (length < 32 && region[length] != 0) ++length;
        if (length == 0) revert Intensity_InvalidRegion(region);
        bytes memory text = new bytes(length);
        for (uint256 i = 0; i < 32; ++i) {
            bytes1 char = region[i];
            // solhint-disable-next-line gas-strict-inequalities
            if (i >= length) {
                if (char != 0) revert Intensity_InvalidRegion(region);
                continue;
            }
            if (!_isRegionChar(char)) revert Intensity_InvalidRegion(region);
            text[i] = char;
        }
        return string(text);
    }

    /* solhint-disable gas-strict-inequalities */
    function _isRegionChar(bytes1 char) private pure returns (bool) {
        return
            (char >= "0" && char <= "9") ||
            (char >= "A" && char <= "Z") ||
            (char >= "a" && char <= "z") ||
            char == "-" ||
            char == "_";
    }
    /* solhint-enable gas-strict-inequalities */

    function _slot(bytes32 region, uint40 hourStart, uint8 source) private pure returns (bytes32) {
        return keccak256(abi.encode(region, hourStart, source));
    }
}
