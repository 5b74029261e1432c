// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IDataContainers} from "./interfaces/IDataContainers.sol";
import {IEnergyRegistry} from "./interfaces/IEnergyRegistry.sol";

/// @title DataContainers
/// @notice ERC-1155 "Scope 3 data container" tokens, one per anchored container, minted to the site owner.
/// See {IDataContainers}.
contract DataContainers is ERC1155, EIP712, IDataContainers {
    /// @dev keccak256 of the EIP-712 type strings; the sdk's types.ts defines the same structs.
    // The type strings are folded into constants at compile time, so their length costs no gas.
    /* solhint-disable gas-small-strings */
    bytes32 private constant _HEADER_TYPEHASH = keccak256(
        "ContainerHeader(bytes32 siteId,bytes32 streamId,uint64 periodStart,uint64 periodEnd,"
        "bytes32 merkleRoot,bytes cid,uint32 readingCount,uint128 energyImportedMilliWattHours,"
        "uint128 energyExportedMilliWattHours,uint128 emissionsLocationMilligramsCo2e,"
        "uint128 emissionsMarketMilligramsCo2e,bytes32 factorRef,uint32 revision,uint256 supersedes)"
    );
    bytes32 private constant _BATCH_TYPEHASH = keccak256(
        "ContainerBatch(ContainerHeader[] containers)"
        "ContainerHeader(bytes32 siteId,bytes32 streamId,uint64 periodStart,uint64 periodEnd,"
        "bytes32 merkleRoot,bytes cid,uint32 readingCount,uint128 energyImportedMilliWattHours,"
        "uint128 energyExportedMilliWattHours,uint128 emissionsLocationMilligramsCo2e,"
        "uint128 emissionsMarketMilligramsCo2e,bytes32 factorRef,uint32 revision,uint256 supersedes)"
    );
    /* solhint-enable gas-small-strings */

    IEnergyRegistry private immutable _REGISTRY;

    // The only per-container state: one slot. The header itself lives in calldata and in the event.
    mapping(uint256 id => bytes32 commitment) private _commitments;
    // Written only by corrections, which are rare.
    mapping(uint256 id => uint256 byId) private _supersededBy;

    /// @param registry_ The registry of sites, oracles and admins.
    /// @param baseUri Metadata URI template with the ERC-1155 `{id}` placeholder.
    constructor(
        IEnergyRegistry registry_,
        string memory baseUri
    ) ERC1155(baseUri) EIP712("Energy-Intelligence", "1") {
        _REGISTRY = registry_;
    }

    /// @inheritdoc IDataContainers
    function anchor(
        ContainerHeader calldata header,
        address signer,
        bytes calldata signature
    ) external returns (uint256 id) {
        bytes32 siteId = header.siteId;
        address owner = _checkSigner(siteId, signer);
        bytes32 commitment = _hashHeader(header);
        id = _record(header, commitment);
        // A one-element EIP-712 array hashes as keccak256 of its one struct hash.
        _checkSignature(signer, _batchStructHash(keccak256(abi.encode(commitment))), signature);
        _emitAnchoredOne(siteId, signer, header);
        _mint(owner, id, 1, "");
    }

    /// @inheritdoc IDataContainers
    function anchorMany(
        ContainerHeader[] calldata headers,
        address signer,
        bytes calldata signature
    ) external returns (uint256[] memory ids) {
        uint256 count = headers.length;
        if (count == 0) revert Containers_EmptyBatch();
        bytes32 siteId = headers[0].siteId;
        address owner = _checkSigner(siteId, signer);
        ids = new uint256[](count);
        uint256[] memory amounts = new uint256[](count);
        bytes32[] memory commitments = new bytes32[](count);
        // State is written before the signature is checked: a bad signature reverts the whole transaction,
        // and the ERC-1271 check is a staticcall, so nothing can observe the intermediate state.
        for (uint256 i = 0; i < count; ++i) {
            ContainerHeader calldata header = headers[i];
            if (header.siteId != siteId) revert Containers_MixedSites(i, siteId, header.siteId);
            bytes32 commitment = _hashHeader(header);
            commitments[i] = commitment;
            ids[i] = _record(header, commitment);
            amounts[i] = 1;
        }
        _checkSignature(signer, _batchStructHash(_hashArray(commitments)), signature);
        _emitAnchored(siteId, signer, headers);
        _mintBatch(owner, ids, amounts, "");
    }

    /// @inheritdoc IDataContainers
    function setBaseUri(string calldata uri) external {
        if (!_REGISTRY.hasRole(bytes32(0), _msgSender())) revert Containers_NotAdmin(_msgSender());
        _setURI(uri);
        emit BaseUriSet(uri);
    }

    /// @inheritdoc IDataContainers
    function registry() external view returns (address) {
        return address(_REGISTRY);
    }

    /// @inheritdoc IDataContainers
    function containerId(
        bytes32 siteId,
        bytes32 streamId,
        uint64 periodStart,
        uint64 periodEnd,
        uint32 revision
    ) external pure returns (uint256) {
        return _containerId(siteId, streamId, periodStart, periodEnd, revision);
    }

    /// @inheritdoc IDataContainers
    function hashHeader(ContainerHeader calldata header) external pure returns (bytes32) {
        return _hashHeader(header);
    }

    /// @inheritdoc IDataContainers
    function batchDigest(ContainerHeader[] calldata headers) external view returns (bytes32) {
        bytes32[] memory commitments = new bytes32[](headers.length);
        for (uint256 i = 0; i < headers.length; ++i) {
            commitments[i] = _hashHeader(headers[i]);
        }
        return _hashTypedDataV4(_batchStructHash(_hashArray(commitments)));
    }

    /// @inheritdoc IDataContainers
    function commitmentOf(uint256 id) external view returns (bytes32) {
        return _commitments[id];
    }

    /// @inheritdoc IDataContainers
    function exists(uint256 id) external view returns (bool) {
        return _commitments[id] != bytes32(0);
    }

    /// @inheritdoc IDataContainers
    function supersededBy(uint256 id) external view returns (uint256) {
        return _supersededBy[id];
    }

    /// @inheritdoc IDataContainers
    function readingLeaf(ReadingLeaf calldata reading) external pure returns (bytes32) {
        return _readingLeaf(reading);
    }

    /// @inheritdoc IDataContainers
    function verifyReading(
        ContainerHeader calldata header,
        ReadingLeaf calldata reading,
        bytes32[] calldata proof
    ) external view returns (bool) {
        uint256 id = _containerId(
            header.siteId,
            header.streamId,
            header.periodStart,
            header.periodEnd,
            header.revision
        );
        bytes32 commitment = _commitments[id];
        if (commitment == bytes32(0)) revert Containers_UnknownContainer(id);
        bytes32 headerHash = _hashHeader(header);
        if (headerHash != commitment) revert Containers_HeaderMismatch(id, commitment, headerHash);
        return MerkleProof.verifyCalldata(proof, header.merkleRoot, _readingLeaf(reading));
    }

    /// @dev Checks the site and the signer's role, returning the site owner that receives the tokens.
    function _checkSigner(bytes32 siteId, address signer) private view returns (address owner) {
        owner = _REGISTRY.siteOwner(siteId);
        if (owner == address(0)) revert Containers_UnknownSite(siteId);
        if (!_REGISTRY.isOracle(siteId, signer)) revert Containers_SignerNotOracle(siteId, signer);
    }

    function _checkSignature(
        address signer,
        bytes32 structHash,
        bytes calldata signature
    ) private view {
        if (
            !SignatureChecker.isValidSignatureNow(signer, _hashTypedDataV4(structHash), signature)
        ) {
            revert Containers_BadSignature(signer);
        }
    }

    /// @dev Validates one header and stores its commitment. The id check is what makes a container unique:
    /// the same site, stream, period and revision can never be minted twice.
    function _record(
        ContainerHeader calldata header,
        bytes32 commitment
    ) private returns (uint256 id) {
        uint64 periodStart = header.periodStart;
        uint64 periodEnd = header.periodEnd;
        // Half-open periods need end > start; an empty period [t, t) is rejected.
        // solhint-disable-next-line gas-strict-inequalities
        if (periodEnd <= periodStart) revert Containers_InvalidPeriod(periodStart, periodEnd);
        if (header.merkleRoot == bytes32(0)) revert Containers_ZeroMerkleRoot();
        if (header.cid.length == 0) revert Containers_EmptyCid();
        bytes32 siteId = header.siteId;
        bytes32 streamId = header.streamId;
        uint32 revision = header.revision;
        id = _containerId(siteId, streamId, periodStart, periodEnd, revision);
        if (_commitments[id] != bytes32(0)) revert Containers_AlreadyAnchored(id);
        uint256 supersedes = header.supersedes;
        if (revision == 0) {
            if (supersedes != 0) revert Containers_UnexpectedSupersedes(supersedes);
        } else {
            uint256 previous = _containerId(siteId, streamId, periodStart, periodEnd, revision - 1);
            if (supersedes != previous) revert Containers_WrongSupersedes(previous, supersedes);
            if (_commitments[previous] == bytes32(0)) revert Containers_SupersededUnknown(previous);
            // Revision r exists at most once, so `previous` can be superseded only once: no overwrite check.
            _supersededBy[previous] = id;
            emit ContainerSuperseded(previous, id);
        }
        _commitments[id] = commitment;
    }

    /// @dev Emits {ContainersAnchored} with the headers' calldata bytes as they are: re-encoding them costs
    /// about 1,500 gas a header. Only the canonical encoding is accepted (elements back to back, in order,
    /// `cid` right after the head), which is byte for byte what `abi.encode(headers)` gives, so the log
    /// decodes to exactly the headers that were hashed and stored.
    function _emitAnchored(
        bytes32 siteId,
        address signer,
        ContainerHeader[] calldata headers
    ) private {
        uint256 count = headers.length;
        uint256 expected = count * 0x20;
        for (uint256 i = 0; i < count; ++i) {
            // Solidity checks this length lies inside calldata.
            uint256 cidLength = headers[i].cid.length;
            uint256 elementOffset;
            uint256 cidOffset;
            // Assembly reads raw offset words, which Solidity does not expose for calldata arrays.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                elementOffset := calldataload(add(headers.offset, shl(5, i)))
                cidOffset := calldataload(add(add(headers.offset, elementOffset), 0xa0))
            }
            if (elementOffset != expected || cidOffset != 0x1c0)
                revert Containers_NonCanonicalEncoding(i);
            // 14 head words, the cid length word, the cid padded to whole words.
            expected += 0x1e0 + ((cidLength + 31) & ~uint256(31));
        }
        bytes32 topic = ContainersAnchored.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, 0x20)
            // The array's length word, its offsets and its elements: `expected` bytes after the length.
            let size := add(0x20, expected)
            calldatacopy(add(ptr, 0x20), sub(headers.offset, 0x20), size)
            log3(ptr, add(0x20, size), topic, siteId, signer)
        }
    }

    /// @dev {_emitAnchored} for one header: logs it as a one-element `ContainerHeader[]`.
    function _emitAnchoredOne(
        bytes32 siteId,
        address signer,
        ContainerHeader calldata header
    ) private {
        uint256 cidLength = header.cid.length;
        uint256 cidOffset;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            cidOffset := calldataload(add(header, 0xa0))
        }
        if (cidOffset != 0x1c0) revert Containers_NonCanonicalEncoding(0);
        uint256 size = 0x1e0 + ((cidLength + 31) & ~uint256(31));
        bytes32 topic = ContainersAnchored.selector;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, 0x20)
            mstore(add(ptr, 0x20), 1)
            mstore(add(ptr, 0x40), 0x20)
            calldatacopy(add(ptr, 0x60), header, size)
            log3(ptr, add(0x60, size), topic, siteId, signer)
        }
    }

    /// @dev EIP-712 encodes an array of structs as keccak256 of the concatenated struct hashes.
    function _hashArray(bytes32[] memory structHashes) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(structHashes));
    }

    function _batchStructHash(bytes32 arrayHash) private pure returns (bytes32) {
        return keccak256(abi.encode(_BATCH_TYPEHASH, arrayHash));
    }

    /// @dev EIP-712 hashStruct(ContainerHeader), hashed in scratch memory: an abi.encode per header would
    /// allocate memory that is never freed, and memory cost grows quadratically over a batch of hundreds.
    /// The header's 14 head words are copied as they are in calldata, with the `cid` offset word replaced by
    /// keccak256(cid), which is exactly EIP-712's encodeData.
    function _hashHeader(
        ContainerHeader calldata header
    ) private pure returns (bytes32 structHash) {
        // Reading every narrow field runs the ABI decoder's range check (it reverts on dirty high bits), so
        // the raw words copied below are the canonical encoding the signer hashed.
        uint256 narrowFields =
            uint256(header.periodStart) |
                header.periodEnd |
                header.readingCount |
                header.energyImportedMilliWattHours |
                header.energyExportedMilliWattHours |
                header.emissionsLocationMilligramsCo2e |
                header.emissionsMarketMilligramsCo2e |
                header.revision;
        bytes calldata cid = header.cid;
        bytes32 typeHash = _HEADER_TYPEHASH;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            pop(narrowFields)
            let ptr := mload(0x40)
            calldatacopy(ptr, cid.offset, cid.length)
            let cidHash := keccak256(ptr, cid.length)
            mstore(ptr, typeHash)
            calldatacopy(add(ptr, 0x20), header, 0x1c0)
            mstore(add(ptr, 0xc0), cidHash)
            structHash := keccak256(ptr, 0x1e0)
        }
    }

    function _readingLeaf(ReadingLeaf calldata reading) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(reading))));
    }

    function _containerId(
        bytes32 siteId,
        bytes32 streamId,
        uint64 periodStart,
        uint64 periodEnd,
        uint32 revision
    ) private pure returns (uint256 id) {
        // Same bytes as keccak256(abi.encode(...)), hashed in scratch memory (see _hashHeader).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, siteId)
            mstore(add(ptr, 0x20), streamId)
            mstore(add(ptr, 0x40), periodStart)
            mstore(add(ptr, 0x60), periodEnd)
            mstore(add(ptr, 0x80), revision)
            id := keccak256(ptr, 0xa0)
        }
    }
}
