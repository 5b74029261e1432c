// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {ERC1155Supply} from "@openzeppelin/contracts/token/ERC1155/extensions/ERC1155Supply.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IEnergyRegistry} from "./interfaces/IEnergyRegistry.sol";
import {IJobStamps} from "./interfaces/IJobStamps.sol";
import {IProductLots} from "./interfaces/IProductLots.sol";
import {UnorderedNonces} from "./utils/UnorderedNonces.sol";

/// @title ProductLots
/// @notice ERC-1155 product lots minted from oracle-signed footprints. See {IProductLots}.
/// @dev Minting checks an oracle signature instead of requiring a minter role: the oracle is the party that
/// computed the footprint, and a signature lets any relayer (or the manufacturer's own wallet) pay the gas.
contract ProductLots is ERC1155Supply, EIP712, UnorderedNonces, IProductLots {
    // The type strings are folded into constants at compile time, so their length costs no gas.
    /* solhint-disable gas-small-strings */
    bytes32 private constant _FOOTPRINT_TYPEHASH = keccak256(
        "Footprint(bytes32 siteId,bytes32 productId,bytes32[] jobIds,uint64 units,bytes cid,"
        "uint128 energyMilliWattHours,uint128 emissionsLocationMilligramsCo2e,"
        "uint128 emissionsMarketMilligramsCo2e,uint256 nonce)"
    );
    /* solhint-enable gas-small-strings */

    IEnergyRegistry private immutable _REGISTRY;
    IJobStamps private immutable _JOBS;

    mapping(uint256 lotId => Lot) private _lots;
    mapping(bytes32 siteId => mapping(bytes32 jobId => uint256 lotId)) private _lotOfJob;

    /// @param registry_ The registry of sites and oracles.
    /// @param jobs_ The job stamps a lot's jobs must be stopped in.
    /// @param baseUri Metadata URI template with the ERC-1155 `{id}` placeholder.
    constructor(
        IEnergyRegistry registry_,
        IJobStamps jobs_,
        string memory baseUri
    ) ERC1155(baseUri) EIP712("Energy-Intelligence", "1") {
        _REGISTRY = registry_;
        _JOBS = jobs_;
    }

    /// @inheritdoc IProductLots
    function mint(
        Footprint calldata footprint,
        address signer,
        bytes calldata signature
    ) external returns (uint256 lotId) {
        bytes32 siteId = footprint.siteId;
        address owner = _REGISTRY.siteOwner(siteId);
        if (owner == address(0)) revert Lots_UnknownSite(siteId);
        if (!_REGISTRY.isOracle(siteId, signer)) revert Lots_SignerNotOracle(siteId, signer);
        bytes32 footprintHash = _hashFootprint(footprint);
        if (
            !SignatureChecker.isValidSignatureNow(
                signer,
                _hashTypedDataV4(footprintHash),
                signature
            )
        ) {
            revert Lots_BadSignature(signer);
        }
        _useNonce(signer, footprint.nonce);
        if (footprint.jobIds.length == 0) revert Lots_NoJobs();
        if (footprint.units == 0) revert Lots_ZeroUnits();
        if (footprint.cid.length == 0) revert Lots_EmptyCid();
        if (_REGISTRY.product(footprint.productId).siteId != siteId) {
            revert Lots_UnknownProduct(siteId, footprint.productId);
        }
        lotId = _lotId(siteId, footprint.productId, footprint.jobIds);
        _claimJobs(footprint, lotId);
        _lots[lotId] = Lot({
            siteId: siteId,
            productId: footprint.productId,
            footprintHash: footprintHash,
            units: footprint.units,
            energyMilliWattHours: footprint.energyMilliWattHours,
            emissionsLocationMilligramsCo2e: footprint.emissionsLocationMilligramsCo2e,
            emissionsMarketMilligramsCo2e: footprint.emissionsMarketMilligramsCo2e
        });
        emit LotMinted(
            lotId,
            siteId,
            footprint.productId,
            signer,
            footprintHash,
            footprint,
            _perUnit(footprint)
        );
        _mint(owner, lotId, footprint.units, "");
    }

    /// @inheritdoc IProductLots
    function setBaseUri(string calldata uri) external {
        if (!_REGISTRY.hasRole(bytes32(0), _msgSender())) revert Lots_NotAdmin(_msgSender());
        _setURI(uri);
        emit BaseUriSet(uri);
    }

    /// @inheritdoc IProductLots
    function lot(uint256 lotId) external view returns (Lot memory) {
        return _lots[lotId];
    }

    /// @inheritdoc IProductLots
    function exists(
        uint256 lotId
    ) public view override(ERC1155Supply, IProductLots) returns (bool) {
        return _lots[lotId].siteId != bytes32(0);
    }

    /// @inheritdoc IProductLots
    function lotOfJob(bytes32 siteId, bytes32 jobId) external view returns (uint256) {
        return _lotOfJob[siteId][jobId];
    }

    /// @inheritdoc IProductLots
    function lotIdOf(
        bytes32 siteId,
        bytes32 productId,
        bytes32[] calldata jobIds
    ) external pure returns (uint256) {
        return _lotId(siteId, productId, jobIds);
    }

    /// @inheritdoc IProductLots
    function hashFootprint(Footprint calldata footprint) external pure returns (bytes32) {
        return _hashFootprint(footprint);
    }

    /// @inheritdoc IProductLots
    function dependencies() external view returns (address registry, address jobs) {
        return (address(_REGISTRY), address(_JOBS));
    }

    /// @dev Marks every job as taken by `lotId` and checks the units add up. Marking as we go also rejects a
    /// job listed twice in one footprint.
    function _claimJobs(Footprint calldata footprint, uint256 lotId) private {
        bytes32 siteId = footprint.siteId;
        bytes8 tag = _JOBS.productTag(footprint.productId);
        uint256 jobUnits = 0;
        for (uint256 i = 0; i < footprint.jobIds.length; ++i) {
            bytes32 jobId = footprint.jobIds[i];
            IJobStamps.Job memory stamped = _JOBS.job(siteId, jobId);
            if (stamped.stoppedAt == 0) revert Lots_JobNotStopped(siteId, jobId);
            if (stamped.productTag != tag)
                revert Lots_JobProductMismatch(jobId, footprint.productId);
            uint256 taken = _lotOfJob[siteId][jobId];
            if (taken != 0) revert Lots_JobAlreadyInLot(jobId, taken);
            _lotOfJob[siteId][jobId] = lotId;
            jobUnits += stamped.units;
        }
        if (jobUnits != footprint.units) revert Lots_UnitsMismatch(footprint.units, jobUnits);
    }

    function _perUnit(
        Footprint calldata footprint
    ) private pure returns (uint128[3] memory perUnit) {
        uint128 units = footprint.units;
        perUnit[0] = footprint.energyMilliWattHours / units;
        perUnit[1] = footprint.emissionsLocationMilligramsCo2e / units;
        perUnit[2] = footprint.emissionsMarketMilligramsCo2e / units;
    }

    function _hashFootprint(Footprint calldata footprint) private pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    _FOOTPRINT_TYPEHASH,
                    footprint.siteId,
                    footprint.productId,
                    keccak256(abi.encodePacked(footprint.jobIds)),
                    footprint.units,
                    keccak256(footprint.cid),
                    footprint.energyMilliWattHours,
                    footprint.emissionsLocationMilligramsCo2e,
                    footprint.emissionsMarketMilligramsCo2e,
                    footprint.nonce
                )
            );
    }

    function _lotId(
        bytes32 siteId,
        bytes32 productId,
        bytes32[] calldata jobIds
    ) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(siteId, productId, jobIds)));
    }
}
