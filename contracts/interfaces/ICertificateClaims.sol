// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title On-chain claims of energy attribute certificates
/// @notice A registrar records a certificate (guarantee of origin, REC, I-REC, PPA allocation) once, with its
/// volume in watt-hours; sites then claim part or all of that volume for a consumption period. The claims of
/// one certificate, across every site and every company, never add up to more than its volume, so the same
/// megawatt-hour cannot back two market-based Scope 2 figures.
/// @dev A certificate is keyed by `keccak256(abi.encode(scheme, certificateId))` (see {certificateKey}): the
/// issuing scheme plus the id the scheme gave it, so the same serial number in two schemes stays distinct.
interface ICertificateClaims {
    /// @notice What a registrar submits for one certificate.
    /// @param scheme The issuing registry or scheme, e.g. "AIB-EECS", "I-REC", "M-RETS", "PPA".
    /// @param certificateId The id the scheme gave the certificate (its serial number or range).
    /// @param volumeWattHours The energy it attests, in Wh.
    /// @param periodStart Start of the production period, Unix seconds (inclusive).
    /// @param periodEnd End of the production period, Unix seconds (exclusive).
    /// @param technology The energy source as a short string, e.g. "solar", "wind-onshore", "hydro".
    /// @param zone The bidding zone or grid region of the producing device, e.g. "DE-LU", "GB".
    struct CertificateInput {
        string scheme;
        string certificateId;
        uint64 volumeWattHours;
        uint40 periodStart;
        uint40 periodEnd;
        bytes32 technology;
        bytes32 zone;
    }

    /// @notice A registered certificate and how much of it is claimed.
    /// @param volumeWattHours Its volume, Wh; zero means not registered.
    /// @param claimedWattHours The sum of all claims on it, Wh; never above `volumeWattHours`.
    /// @param periodStart Start of the production period, Unix seconds.
    /// @param periodEnd End of the production period, Unix seconds (exclusive).
    /// @param claimCount How many claims were recorded on it.
    /// @param technology The energy source (short string).
    /// @param zone The bidding zone or grid region (short string).
    struct Certificate {
        uint64 volumeWattHours;
        uint64 claimedWattHours;
        uint40 periodStart;
        uint40 periodEnd;
        uint32 claimCount;
        bytes32 technology;
        bytes32 zone;
    }

    /// @notice `registrar` registered the certificate `key` = (scheme, certificateId).
    // solhint-disable-next-line gas-indexed-events
    event CertificateRegistered(
        bytes32 indexed key,
        address indexed registrar,
        string scheme,
        string certificateId,
        uint64 volumeWattHours,
        uint40 periodStart,
        uint40 periodEnd,
        bytes32 technology,
        bytes32 zone
    );

    /// @notice Site `siteId` (owned by `owner`) claimed `volumeWattHours` of certificate `key` for its
    /// consumption in [periodStart, periodEnd); `claimant` sent the claim; `claimIndex` counts from 0 per
    /// certificate; `remainingWattHours` is what is left of the certificate after this claim.
    event CertificateClaimed(
        bytes32 indexed key,
        bytes32 indexed siteId,
        address indexed claimant,
        address owner,
        uint32 claimIndex,
        uint64 volumeWattHours,
        uint40 periodStart,
        uint40 periodEnd,
        uint64 remainingWattHours
    );

    /// @notice The caller lacks the registry's CERTIFICATE_REGISTRAR_ROLE.
    error Claims_NotRegistrar(address account);
    /// @notice The scheme or the certificate id is empty.
    error Claims_EmptyIdentity();
    /// @notice A certificate or a claim of zero watt-hours.
    error Claims_ZeroVolume();
    /// @notice A period whose end is not after its start.
    error Claims_InvalidPeriod(uint40 periodStart, uint40 periodEnd);
    /// @notice The certificate is registered already (by anyone): a certificate exists once.
    error Claims_CertificateExists(bytes32 key);
    /// @notice No certificate is registered under this key.
    error Claims_UnknownCertificate(bytes32 key);
    /// @notice The site is not registered in the EnergyRegistry.
    error Claims_UnknownSite(bytes32 siteId);
    /// @notice The caller is neither a manager nor an oracle of the site.
    error Claims_NotSiteClaimant(bytes32 siteId, address account);
    /// @notice The claim asks for more than is left of the certificate: it is used up, in part or in whole,
    /// by earlier claims of this or any other site.
    error Claims_VolumeExceeded(bytes32 key, uint64 requestedWattHours, uint64 remainingWattHours);

    /// @notice Registers a certificate. Registrars only (the registry's CERTIFICATE_REGISTRAR_ROLE).
    /// @param input The certificate: scheme, id, volume, production period, technology, zone.
    /// @return key The certificate's key, `keccak256(abi.encode(input.scheme, input.certificateId))`.
    function registerCertificate(CertificateInput calldata input) external returns (bytes32 key);

    /// @notice Claims part or all of a certificate's remaining volume for a site's consumption period.
    /// Callable by a manager or an oracle of the site. Reverts with {Claims_VolumeExceeded} when the
    /// certificate has less than `volumeWattHours` left, whoever claimed the rest.
    /// @param key The certificate's key.
    /// @param siteId The consuming site.
    /// @param volumeWattHours The volume claimed, Wh (> 0).
    /// @param periodStart Start of the consumption period the claim covers, Unix seconds.
    /// @param periodEnd End of that period, Unix seconds (exclusive).
    /// @return remainingWattHours What is left of the certificate afterwards.
    function claim(
        bytes32 key,
        bytes32 siteId,
        uint64 volumeWattHours,
        uint40 periodStart,
        uint40 periodEnd
    ) external returns (uint64 remainingWattHours);

    /// @notice The certificate under `key`; all zero when it is not registered.
    function certificate(bytes32 key) external view returns (Certificate memory);

    /// @notice How many watt-hours of certificate `key` site `siteId` has claimed, over all its claims.
    function claimedBySite(bytes32 key, bytes32 siteId) external view returns (uint64);

    /// @notice What is left to claim of certificate `key`, Wh (0 when unknown or used up).
    function remainingOf(bytes32 key) external view returns (uint64);

    /// @notice The key of a certificate: `keccak256(abi.encode(scheme, certificateId))`.
    function certificateKey(
        string calldata scheme,
        string calldata certificateId
    ) external pure returns (bytes32);

    /// @notice The registry whose roles and sites this contract reads.
    function registry() external view returns (address);
}
