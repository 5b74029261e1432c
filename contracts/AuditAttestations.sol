// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IAuditAttestations} from "./interfaces/IAuditAttestations.sol";
import {IDataContainers} from "./interfaces/IDataContainers.sol";
import {IEnergyRegistry} from "./interfaces/IEnergyRegistry.sol";
import {IProductLots} from "./interfaces/IProductLots.sol";

/// @title AuditAttestations
/// @notice Auditor verdicts on containers and lots. See {IAuditAttestations}.
contract AuditAttestations is Context, IAuditAttestations {
    uint8 private constant _CONTAINER = 1;
    uint8 private constant _LOT = 2;
    uint8 private constant _MAX_VERDICT = 3;
    bytes32 private constant _AUDITOR_ROLE = keccak256("AUDITOR_ROLE");

    IEnergyRegistry private immutable _REGISTRY;
    IDataContainers private immutable _CONTAINERS;
    IProductLots private immutable _LOTS;

    mapping(uint8 subjectKind => mapping(uint256 subjectId => mapping(address auditor => Attestation)))
        private _attestations;

    /// @param registry_ Holds the auditor role.
    /// @param containers_ The data containers auditors attest.
    /// @param lots_ The product lots auditors attest.
    constructor(IEnergyRegistry registry_, IDataContainers containers_, IProductLots lots_) {
        _REGISTRY = registry_;
        _CONTAINERS = containers_;
        _LOTS = lots_;
    }

    /// @inheritdoc IAuditAttestations
    function attest(
        uint8 subjectKind,
        uint256 subjectId,
        uint8 verdict,
        bytes calldata reportCid
    ) external {
        address auditor = _msgSender();
        if (!_REGISTRY.hasRole(_AUDITOR_ROLE, auditor)) revert Attestations_NotAuditor(auditor);
        if (verdict == 0 || verdict > _MAX_VERDICT) revert Attestations_InvalidVerdict(verdict);
        if (reportCid.length == 0) revert Attestations_EmptyReportCid();
        bool known;
        if (subjectKind == _CONTAINER) known = _CONTAINERS.exists(subjectId);
        else if (subjectKind == _LOT) known = _LOTS.exists(subjectId);
        else revert Attestations_UnknownSubjectKind(subjectKind);
        if (!known) revert Attestations_UnknownSubject(subjectKind, subjectId);
        _attestations[subjectKind][subjectId][auditor] = Attestation({
            verdict: verdict,
            blockNumber: uint64(block.number)
        });
        emit Attested(subjectKind, subjectId, auditor, verdict, reportCid);
    }

    /// @inheritdoc IAuditAttestations
    function attestationOf(
        uint8 subjectKind,
        uint256 subjectId,
        address auditor
    ) external view returns (Attestation memory) {
        return _attestations[subjectKind][subjectId][auditor];
    }

    /// @inheritdoc IAuditAttestations
    function dependencies()
        external
        view
        returns (address registry, address containers, address lots)
    {
        return (address(_REGISTRY), address(_CONTAINERS), address(_LOTS));
    }
}
