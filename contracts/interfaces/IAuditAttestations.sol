// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Auditor attestations on containers and product lots
/// @notice An auditor (the registry's AUDITOR_ROLE) records a verdict with the CID of its report. The chain
/// keeps each auditor's latest verdict per subject; every verdict stays in the event log.
interface IAuditAttestations {
    /// @notice An auditor's latest verdict on a subject.
    /// @param verdict 1 valid, 2 invalid, 3 corrected; 0 when none.
    /// @param blockNumber The block it was recorded in.
    struct Attestation {
        uint8 verdict;
        uint64 blockNumber;
    }

    /// @notice `auditor` recorded `verdict` on a subject (kind 1 container, 2 product lot).
    event Attested(
        uint8 indexed subjectKind,
        uint256 indexed subjectId,
        address indexed auditor,
        uint8 verdict,
        bytes reportCid
    );

    /// @notice The caller lacks the auditor role.
    error Attestations_NotAuditor(address account);
    /// @notice The subject kind is neither 1 (container) nor 2 (lot).
    error Attestations_UnknownSubjectKind(uint8 subjectKind);
    /// @notice No container or lot with this id exists.
    error Attestations_UnknownSubject(uint8 subjectKind, uint256 subjectId);
    /// @notice The verdict is outside 1..3.
    error Attestations_InvalidVerdict(uint8 verdict);
    /// @notice The report CID is empty.
    error Attestations_EmptyReportCid();

    /// @notice Records the caller's verdict on a container or a lot. Auditors only.
    /// @param subjectKind 1 container, 2 product lot.
    /// @param subjectId The token id of the container or lot.
    /// @param verdict 1 valid, 2 invalid, 3 corrected.
    /// @param reportCid The whole CID of the audit report.
    function attest(
        uint8 subjectKind,
        uint256 subjectId,
        uint8 verdict,
        bytes calldata reportCid
    ) external;

    /// @notice `auditor`'s latest verdict on a subject.
    function attestationOf(
        uint8 subjectKind,
        uint256 subjectId,
        address auditor
    ) external view returns (Attestation memory);

    /// @notice The registry, container and lot contracts this contract reads.
    function dependencies()
        external
        view
        returns (address registry, address containers, address lots);
}
