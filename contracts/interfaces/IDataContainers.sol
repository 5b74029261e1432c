// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Energy data containers: one ERC-1155 token per (site, stream, period, revision)
/// @notice A container commits to a document of meter readings (its CID) and to the Merkle root over them.
/// The chain keeps one 32-byte commitment per container: the EIP-712 struct hash of its header. Every header
/// field is in calldata and in {ContainerAnchored}; a verifier re-hashes the header and compares.
interface IDataContainers {
    /// @notice A container header, field for field the sdk's EIP-712 `ContainerHeader`.
    /// @dev Periods are Unix seconds, half-open `[periodStart, periodEnd)`.
    // Field order is the EIP-712 type the sdk signs (sdk/src/eip712/types.ts); it is calldata, never stored.
    // solhint-disable-next-line gas-struct-packing
    struct ContainerHeader {
        bytes32 siteId;
        bytes32 streamId;
        uint64 periodStart;
        uint64 periodEnd;
        bytes32 merkleRoot;
        bytes cid;
        uint32 readingCount;
        uint128 energyImportedMilliWattHours;
        uint128 energyExportedMilliWattHours;
        uint128 emissionsLocationMilligramsCo2e;
        uint128 emissionsMarketMilligramsCo2e;
        bytes32 factorRef;
        uint32 revision;
        uint256 supersedes;
    }

    /// @notice One reading leaf, field for field the sdk's `READING_LEAF_TYPES`.
    struct ReadingLeaf {
        bytes32 salt;
        bytes32 deviceId;
        uint32 channel;
        uint64 sequence;
        uint64 timestampMs;
        uint64 energyImportedMilliWattHours;
        uint64 energyExportedMilliWattHours;
        uint8 quality;
        bytes32 detailsHash;
    }

    /// @notice Containers were anchored, one token each minted to the site owner (the ERC-1155
    /// TransferSingle/TransferBatch of the same transaction lists their ids, in header order).
    /// @dev One event per batch, not per container: per-container topics would cost ~1,900 gas a container.
    /// A container's id is {containerId} of its header, its commitment {hashHeader}.
    /// @param signer The site oracle whose signature covered the headers (check it with
    /// `IEnergyRegistry.wasOracleAt` at this event's block).
    event ContainersAnchored(
        bytes32 indexed siteId,
        address indexed signer,
        ContainerHeader[] headers
    );

    /// @notice Container `id` was corrected by revision container `byId`.
    event ContainerSuperseded(uint256 indexed id, uint256 indexed byId);

    /// @notice The token metadata URI template changed (it holds the ERC-1155 `{id}` placeholder).
    event BaseUriSet(string uri);

    /// @notice The caller is not a registry admin.
    error Containers_NotAdmin(address account);
    /// @notice `anchorMany` got no headers.
    error Containers_EmptyBatch();
    /// @notice The header's site is not registered.
    error Containers_UnknownSite(bytes32 siteId);
    /// @notice The headers' calldata is not in the canonical ABI encoding (the one `abi.encode` produces) at
    /// header `index`; the event logs that encoding as is, so it must be canonical.
    error Containers_NonCanonicalEncoding(uint256 index);
    /// @notice A batch must hold one site's containers; header `index` names another.
    error Containers_MixedSites(uint256 index, bytes32 expected, bytes32 actual);
    /// @notice The signer is not an oracle of the site now.
    error Containers_SignerNotOracle(bytes32 siteId, address signer);
    /// @notice The signature does not verify for the signer (ECDSA for an EOA, ERC-1271 for a contract).
    error Containers_BadSignature(address signer);
    /// @notice The period does not end after it starts.
    error Containers_InvalidPeriod(uint64 periodStart, uint64 periodEnd);
    /// @notice The Merkle root is zero.
    error Containers_ZeroMerkleRoot();
    /// @notice The CID is empty.
    error Containers_EmptyCid();
    /// @notice A container with this id exists: that site, stream, period and revision is anchored already.
    error Containers_AlreadyAnchored(uint256 id);
    /// @notice Revision 0 must not supersede anything.
    error Containers_UnexpectedSupersedes(uint256 supersedes);
    /// @notice A correction must supersede the previous revision of the same site, stream and period.
    error Containers_WrongSupersedes(uint256 expected, uint256 actual);
    /// @notice The container that a correction supersedes was never anchored.
    error Containers_SupersededUnknown(uint256 id);
    /// @notice No container with this id exists.
    error Containers_UnknownContainer(uint256 id);
    /// @notice The header given does not hash to the container's commitment.
    error Containers_HeaderMismatch(uint256 id, bytes32 commitment, bytes32 headerHash);

    /// @notice Anchors one container signed by a site oracle; anyone may send it.
    /// @param header The container header.
    /// @param signer The oracle that signed (an EOA or an ERC-1271 contract).
    /// @param signature EIP-712 signature over `ContainerBatch{containers: [header]}`.
    /// @return id The new token id.
    function anchor(
        ContainerHeader calldata header,
        address signer,
        bytes calldata signature
    ) external returns (uint256 id);

    /// @notice Anchors a batch of one site's containers under one oracle signature; anyone may send it.
    /// @dev All or nothing: one bad header reverts the batch. EIP-7825 caps a transaction at 2^24 gas, which
    /// is a little over 250 containers at the measured cost.
    /// @param headers The headers, all of one site.
    /// @param signer The oracle that signed.
    /// @param signature EIP-712 signature over `ContainerBatch{containers: headers}`.
    /// @return ids The new token ids, in header order.
    function anchorMany(
        ContainerHeader[] calldata headers,
        address signer,
        bytes calldata signature
    ) external returns (uint256[] memory ids);

    /// @notice Sets the metadata URI template of every token. Registry admin only.
    function setBaseUri(string calldata uri) external;

    /// @notice The registry this contract takes sites, oracles and admins from.
    function registry() external view returns (address);

    /// @notice The token id of a container: `uint256(keccak256(abi.encode(siteId, streamId, periodStart,
    /// periodEnd, revision)))`.
    function containerId(
        bytes32 siteId,
        bytes32 streamId,
        uint64 periodStart,
        uint64 periodEnd,
        uint32 revision
    ) external pure returns (uint256);

    /// @notice The EIP-712 struct hash of a header, which is what the chain stores as its commitment.
    function hashHeader(ContainerHeader calldata header) external pure returns (bytes32);

    /// @notice The EIP-712 digest an oracle signs for `headers`.
    function batchDigest(ContainerHeader[] calldata headers) external view returns (bytes32);

    /// @notice The stored commitment of container `id`, zero when it does not exist.
    function commitmentOf(uint256 id) external view returns (bytes32);

    /// @notice Whether container `id` exists.
    function exists(uint256 id) external view returns (bool);

    /// @notice The id of the correction that superseded container `id`, zero when none.
    function supersededBy(uint256 id) external view returns (uint256);

    /// @notice The OpenZeppelin StandardMerkleTree leaf of a reading:
    /// `keccak256(bytes.concat(keccak256(abi.encode(reading))))`.
    function readingLeaf(ReadingLeaf calldata reading) external pure returns (bytes32);

    /// @notice Whether `reading` is in the container, proven by `proof` against the header's Merkle root.
    /// @dev Reverts with {Containers_UnknownContainer} or {Containers_HeaderMismatch} when `header` is not
    /// the anchored one; the root is not stored (it would cost a second fresh slot per container).
    function verifyReading(
        ContainerHeader calldata header,
        ReadingLeaf calldata reading,
        bytes32[] calldata proof
    ) external view returns (bool);
}
