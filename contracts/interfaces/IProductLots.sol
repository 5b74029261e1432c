// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Product lots: ERC-1155 tokens whose supply is the units a lot's jobs produced
/// @notice A lot is minted from a `Footprint` signed by an oracle of the site (anyone may submit it), to the
/// site owner, who transfers units to buyers with the goods. Each job goes into at most one lot, and the
/// lot's units must equal the units its jobs stopped with.
interface IProductLots {
    /// @notice A footprint, field for field the sdk's EIP-712 `Footprint`.
    /// @param cid The whole CID of the footprint document.
    // Field order is the EIP-712 type the sdk signs (sdk/src/eip712/types.ts); it is calldata, never stored.
    // solhint-disable-next-line gas-struct-packing
    struct Footprint {
        bytes32 siteId;
        bytes32 productId;
        bytes32[] jobIds;
        uint64 units;
        bytes cid;
        uint128 energyMilliWattHours;
        uint128 emissionsLocationMilligramsCo2e;
        uint128 emissionsMarketMilligramsCo2e;
        uint256 nonce;
    }

    /// @notice What the chain keeps of a lot.
    /// @param footprintHash EIP-712 struct hash of the footprint it was minted from.
    struct Lot {
        bytes32 siteId;
        bytes32 productId;
        bytes32 footprintHash;
        uint64 units;
        uint128 energyMilliWattHours;
        uint128 emissionsLocationMilligramsCo2e;
        uint128 emissionsMarketMilligramsCo2e;
    }

    /// @notice A lot was minted to the site owner with `footprint.units` supply.
    /// @param perUnit Per-unit figures, rounded down: energy mWh, location-based and market-based mg CO2e.
    event LotMinted(
        uint256 indexed lotId,
        bytes32 indexed siteId,
        bytes32 indexed productId,
        address signer,
        bytes32 footprintHash,
        Footprint footprint,
        uint128[3] perUnit
    );

    /// @notice The token metadata URI template changed.
    event BaseUriSet(string uri);

    /// @notice The caller is not a registry admin.
    error Lots_NotAdmin(address account);
    /// @notice The site is not registered.
    error Lots_UnknownSite(bytes32 siteId);
    /// @notice The signer is not an oracle of the site now.
    error Lots_SignerNotOracle(bytes32 siteId, address signer);
    /// @notice The signature does not verify for the signer.
    error Lots_BadSignature(address signer);
    /// @notice The footprint names no job.
    error Lots_NoJobs();
    /// @notice The footprint has zero units.
    error Lots_ZeroUnits();
    /// @notice The footprint's CID is empty.
    error Lots_EmptyCid();
    /// @notice The product is not registered at the site.
    error Lots_UnknownProduct(bytes32 siteId, bytes32 productId);
    /// @notice A job is not stopped (or does not exist) at the site.
    error Lots_JobNotStopped(bytes32 siteId, bytes32 jobId);
    /// @notice A job made another product.
    error Lots_JobProductMismatch(bytes32 jobId, bytes32 productId);
    /// @notice A job is already in a lot.
    error Lots_JobAlreadyInLot(bytes32 jobId, uint256 lotId);
    /// @notice The footprint's units are not the sum of its jobs' units.
    error Lots_UnitsMismatch(uint64 footprintUnits, uint256 jobUnits);

    /// @notice Mints a lot from an oracle-signed footprint.
    /// @param signer The oracle that signed (EOA or ERC-1271 contract).
    /// @param signature EIP-712 signature over `footprint`.
    /// @return lotId `uint256(keccak256(abi.encode(siteId, productId, jobIds)))`.
    function mint(
        Footprint calldata footprint,
        address signer,
        bytes calldata signature
    ) external returns (uint256 lotId);

    /// @notice Sets the metadata URI template of every lot. Registry admin only.
    function setBaseUri(string calldata uri) external;

    /// @notice A lot's record; `siteId` is zero when unknown.
    function lot(uint256 lotId) external view returns (Lot memory);

    /// @notice Whether lot `lotId` exists.
    function exists(uint256 lotId) external view returns (bool);

    /// @notice The lot a job went into, zero when none.
    function lotOfJob(bytes32 siteId, bytes32 jobId) external view returns (uint256);

    /// @notice The lot id a footprint mints.
    function lotIdOf(
        bytes32 siteId,
        bytes32 productId,
        bytes32[] calldata jobIds
    ) external pure returns (uint256);

    /// @notice The EIP-712 struct hash of a footprint (stored as `footprintHash`).
    function hashFootprint(Footprint calldata footprint) external pure returns (bytes32);

    /// @notice The registry and job contracts this contract reads.
    function dependencies() external view returns (address registry, address jobs);
}
