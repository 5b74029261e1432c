// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ICertificateClaims} from "./interfaces/ICertificateClaims.sol";
import {IEnergyRegistry} from "./interfaces/IEnergyRegistry.sol";

/// @title CertificateClaims
/// @notice Energy attribute certificates and the claims on them; no certificate is claimed beyond its
/// volume. See {ICertificateClaims}.
contract CertificateClaims is Context, ICertificateClaims {
    /// @notice Global role (held in the registry, granted by its admin) of those who register certificates:
    /// an issuing-body bridge, or the company account that receives its certificates.
    bytes32 public constant CERTIFICATE_REGISTRAR_ROLE = keccak256("CERTIFICATE_REGISTRAR_ROLE");
    bytes32 private constant _SITE_MANAGER_ROLE = keccak256("SITE_MANAGER_ROLE");
    bytes32 private constant _ORACLE_ROLE = keccak256("ORACLE_ROLE");

    IEnergyRegistry private immutable _REGISTRY;

    mapping(bytes32 key => Certificate) private _certificates;
    mapping(bytes32 key => mapping(bytes32 siteId => uint64 claimedWattHours))
        private _claimedBySite;

    /// @param registry_ Holds the registrar role, the sites and their managers and oracles.
    constructor(IEnergyRegistry registry_) {
        _REGISTRY = registry_;
    }

    /// @inheritdoc ICertificateClaims
    function registerCertificate(CertificateInput calldata input) external returns (bytes32 key) {
        address registrar = _msgSender();
        if (!_REGISTRY.hasRole(CERTIFICATE_REGISTRAR_ROLE, registrar))
            revert Claims_NotRegistrar(registrar);
        if (bytes(input.scheme).length == 0 || bytes(input.certificateId).length == 0) {
            revert Claims_EmptyIdentity();
        }
        if (input.volumeWattHours == 0) revert Claims_ZeroVolume();
        // solhint-disable-next-line gas-strict-inequalities
        if (input.periodEnd <= input.periodStart)
            revert Claims_InvalidPeriod(input.periodStart, input.periodEnd);
        key = _key(input.scheme, input.certificateId);
        // A registered certificate always has a non-zero volume, so volume == 0 means "free key".
        if (_certificates[key].volumeWattHours != 0) revert Claims_CertificateExists(key);
        _certificates[key] = Certificate({
            volumeWattHours: input.volumeWattHours,
            claimedWattHours: 0,
            periodStart: input.periodStart,
            periodEnd: input.periodEnd,
            claimCount: 0,
            technology: input.technology,
            zone: input.zone
        });
        emit CertificateRegistered(
            key,
            registrar,
            input.scheme,
            input.certificateId,
            input.volumeWattHours,
            input.periodStart,
            input.periodEnd,
            input.technology,
            input.zone
        );
    }

    /// @inheritdoc ICertificateClaims
    function claim(
        bytes32 key,
        bytes32 siteId,
        uint64 volumeWattHours,
        uint40 periodStart,
        uint40 periodEnd
    ) external returns (uint64 remainingWattHours) {
        address owner = _checkClaimant(siteId);
        if (volumeWattHours == 0) revert Claims_ZeroVolume();
        // solhint-disable-next-line gas-strict-inequalities
        if (periodEnd <= periodStart) revert Claims_InvalidPeriod(periodStart, periodEnd);
        uint32 claimIndex;
        (claimIndex, remainingWattHours) = _take(key, siteId, volumeWattHours);
        emit CertificateClaimed(
            key,
            siteId,
            _msgSender(),
            owner,
            claimIndex,
            volumeWattHours,
            periodStart,
            periodEnd,
            remainingWattHours
        );
    }

    /// @inheritdoc ICertificateClaims
    function certificate(bytes32 key) external view returns (Certificate memory) {
        return _certificates[key];
    }

    /// @inheritdoc ICertificateClaims
    function claimedBySite(bytes32 key, bytes32 siteId) external view returns (uint64) {
        return _claimedBySite[key][siteId];
    }

    /// @inheritdoc ICertificateClaims
    function remainingOf(bytes32 key) external view returns (uint64) {
        Certificate storage cert = _certificates[key];
        return cert.volumeWattHours - cert.claimedWattHours;
    }

    /// @inheritdoc ICertificateClaims
    function certificateKey(
        string calldata scheme,
        string calldata certificateId
    ) external pure returns (bytes32) {
        return _key(scheme, certificateId);
    }

    /// @inheritdoc ICertificateClaims
    function registry() external view returns (address) {
        return address(_REGISTRY);
    }

    /// @dev The only place claimed volume grows: it checks the remaining volume first, so
    /// claimedWattHours <= volumeWattHours holds for every certificate at all times.
    function _take(
        bytes32 key,
        bytes32 siteId,
        uint64 volumeWattHours
    ) private returns (uint32 claimIndex, uint64 remainingWattHours) {
        Certificate storage cert = _certificates[key];
        uint64 volume = cert.volumeWattHours;
        if (volume == 0) revert Claims_UnknownCertificate(key);
        uint64 claimed = cert.claimedWattHours;
        uint64 remaining = volume - claimed;
        if (volumeWattHours > remaining)
            revert Claims_VolumeExceeded(key, volumeWattHours, remaining);
        claimIndex = cert.claimCount;
        unchecked {
            // volumeWattHours <= remaining: the sums stay <= volume, a uint64. The claim count would need
            // 2^32 claims to wrap, each a transaction; it only numbers the events.
            remainingWattHours = remaining - volumeWattHours;
            cert.claimedWattHours = claimed + volumeWattHours;
            cert.claimCount = claimIndex + 1;
            _claimedBySite[key][siteId] += volumeWattHours;
        }
    }

    /// @dev The site's owner; reverts unless the site exists and the caller manages it or is its oracle.
    function _checkClaimant(bytes32 siteId) private view returns (address owner) {
        owner = _REGISTRY.siteOwner(siteId);
        if (owner == address(0)) revert Claims_UnknownSite(siteId);
        address claimant = _msgSender();
        if (
            !_REGISTRY.hasRole(_siteRole(_SITE_MANAGER_ROLE, siteId), claimant) &&
            !_REGISTRY.hasRole(_siteRole(_ORACLE_ROLE, siteId), claimant)
        ) revert Claims_NotSiteClaimant(siteId, claimant);
    }

    function _key(
        string calldata scheme,
        string calldata certificateId
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(scheme, certificateId));
    }

    /// @dev The registry's per-site role id (`EnergyRegistry.siteRole`), computed here to save a call.
    function _siteRole(bytes32 baseRole, bytes32 siteId) private pure returns (bytes32) {
        return keccak256(abi.encode(baseRole, siteId));
    }
}
