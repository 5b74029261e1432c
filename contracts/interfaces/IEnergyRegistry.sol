// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @title Energy-Intelligence registry of sites, machines, devices, products and who may act for each site
/// @notice The one place roles live. Per-site roles (site manager, operator, oracle) are AccessControl roles
/// whose id is `keccak256(abi.encode(baseRole, siteId))`, so a grant for site A never authorises anything at
/// site B. Oracle authorisations and device keys keep their validity intervals `[fromBlock, untilBlock)` so a
/// verifier can ask who was authorised at the block a container was anchored in.
interface IEnergyRegistry is IAccessControl {
    /// @notice A block interval `[fromBlock, untilBlock)`; `untilBlock == type(uint64).max` while still open.
    struct Term {
        uint64 fromBlock;
        uint64 untilBlock;
    }

    /// @notice One device key and the blocks it was valid for.
    struct KeyTerm {
        bytes32 keyHash;
        uint64 fromBlock;
        uint64 untilBlock;
    }

    /// @notice A registered device.
    /// @param siteId The site it is installed at.
    /// @param machineId The machine it measures, or zero when it measures the site as a whole (a main meter).
    /// @param kind What it is: 1 CT clamp, 2 meter, 3 PDU, 4 inverter, 5 pulse counter, 6 smart plug, 7 other.
    struct Device {
        bytes32 siteId;
        bytes32 machineId;
        uint8 kind;
    }

    /// @notice What the chain keeps of a product; names and codes travel in {ProductRegistered}.
    /// @param siteId The site that makes it.
    /// @param declaredUnit PACT declared unit: 1 liter, 2 kilogram, 3 cubic meter, 4 kilowatt hour,
    /// 5 megajoule, 6 ton kilometer, 7 square meter.
    /// @param unitaryProductAmountMicros Declared units in one product unit, times 10^6 (PACT unitaryProductAmount).
    /// @param massPerDeclaredUnitMilligrams Mass of one declared unit in mg (PACT productMassPerDeclaredUnit).
    struct Product {
        bytes32 siteId;
        uint8 declaredUnit;
        uint64 unitaryProductAmountMicros;
        uint64 massPerDeclaredUnitMilligrams;
    }

    /// @notice Input of {registerProduct}.
    /// @param sku The manufacturer's stock keeping unit.
    /// @param name Product name as the company uses it (PACT productNameCompany).
    /// @param cpcCode UN CPC category code (PACT productCategoryCpc).
    struct ProductInput {
        string sku;
        string name;
        string cpcCode;
        uint8 declaredUnit;
        uint64 unitaryProductAmountMicros;
        uint64 massPerDeclaredUnitMilligrams;
    }

    /// @notice A site was registered.
    event SiteRegistered(
        bytes32 indexed siteId,
        address indexed owner,
        address indexed manager,
        string name
    );
    /// @notice The address that receives a site's container tokens and product lots changed.
    event SiteOwnerChanged(
        bytes32 indexed siteId,
        address indexed previousOwner,
        address indexed newOwner
    );
    /// @notice A machine was registered at a site.
    event MachineRegistered(bytes32 indexed siteId, bytes32 indexed machineId, string name);
    /// @notice A device was registered, with its first key valid from `fromBlock`.
    event DeviceRegistered(
        bytes32 indexed siteId,
        bytes32 indexed deviceId,
        bytes32 indexed machineId,
        uint8 kind,
        bytes32 keyHash,
        uint64 fromBlock
    );
    /// @notice A device key stopped being valid at `untilBlock` (rotation or revocation).
    // Block numbers and settings are values a reader wants in the data, not keys to filter logs by.
    // solhint-disable-next-line gas-indexed-events
    event DeviceKeyRevoked(bytes32 indexed deviceId, bytes32 indexed keyHash, uint64 untilBlock);
    /// @notice A device key became valid at `fromBlock`.
    // solhint-disable-next-line gas-indexed-events
    event DeviceKeyActivated(bytes32 indexed deviceId, bytes32 indexed keyHash, uint64 fromBlock);
    /// @notice A product was registered with its PACT fields.
    // solhint-disable-next-line gas-indexed-events
    event ProductRegistered(
        bytes32 indexed siteId,
        bytes32 indexed productId,
        string sku,
        string name,
        string cpcCode,
        uint8 declaredUnit,
        uint64 unitaryProductAmountMicros,
        uint64 massPerDeclaredUnitMilligrams
    );
    /// @notice `oracle` may sign for `siteId` from block `fromBlock` on.
    // solhint-disable-next-line gas-indexed-events
    event OracleAuthorized(bytes32 indexed siteId, address indexed oracle, uint64 fromBlock);
    /// @notice `oracle` may no longer sign for `siteId` from block `untilBlock` on; earlier signatures stay valid.
    // solhint-disable-next-line gas-indexed-events
    event OracleDeauthorized(bytes32 indexed siteId, address indexed oracle, uint64 untilBlock);

    /// @notice The site is not registered.
    error Registry_UnknownSite(bytes32 siteId);
    /// @notice A site with this id exists already.
    error Registry_SiteExists(bytes32 siteId);
    /// @notice Ids are never zero: zero means "none" in every struct here.
    error Registry_ZeroId();
    /// @notice An owner or manager address was zero.
    error Registry_ZeroAddress();
    /// @notice The caller lacks the site manager role of `siteId`.
    error Registry_NotSiteManager(bytes32 siteId, address account);
    /// @notice A machine with this id exists already.
    error Registry_MachineExists(bytes32 machineId);
    /// @notice The machine is not registered at `siteId`.
    error Registry_UnknownMachine(bytes32 siteId, bytes32 machineId);
    /// @notice A device with this id exists already.
    error Registry_DeviceExists(bytes32 deviceId);
    /// @notice The device is not registered.
    error Registry_UnknownDevice(bytes32 deviceId);
    /// @notice The device kind is outside 1..7.
    error Registry_InvalidDeviceKind(uint8 kind);
    /// @notice A device key hash was zero.
    error Registry_ZeroKeyHash();
    /// @notice The device has no valid key to revoke.
    error Registry_NoActiveKey(bytes32 deviceId);
    /// @notice A product with this id exists already.
    error Registry_ProductExists(bytes32 productId);
    /// @notice The declared unit is outside 1..7.
    error Registry_InvalidDeclaredUnit(uint8 declaredUnit);
    /// @notice The SKU was empty.
    error Registry_EmptySku();
    /// @notice `rotateOracle` named an account that is not an oracle of the site.
    error Registry_NotOracle(bytes32 siteId, address account);

    /// @notice Registers a site (a factory) with the address that receives its tokens and its first manager.
    /// @dev Admin only. Sets the site manager role as admin of the site's operator and oracle roles.
    /// @param siteId Non-zero site id, chosen off chain.
    /// @param owner Receives the site's container tokens and product lots.
    /// @param manager Gets the site manager role.
    /// @param name Human name, emitted only.
    function registerSite(
        bytes32 siteId,
        address owner,
        address manager,
        string calldata name
    ) external;

    /// @notice Changes the address that receives the site's future tokens. Tokens already minted stay put.
    /// @dev Site manager of `siteId` only.
    function setSiteOwner(bytes32 siteId, address newOwner) external;

    /// @notice Registers a machine at a site. Site manager only.
    function registerMachine(bytes32 siteId, bytes32 machineId, string calldata name) external;

    /// @notice Registers a device and its first key. Site manager only.
    /// @param machineId The machine it measures, or zero for the whole site.
    /// @param kind 1 CT clamp, 2 meter, 3 PDU, 4 inverter, 5 pulse counter, 6 smart plug, 7 other.
    /// @param keyHash keccak256 of the device's public key (or its address).
    function registerDevice(
        bytes32 siteId,
        bytes32 deviceId,
        bytes32 machineId,
        uint8 kind,
        bytes32 keyHash
    ) external;

    /// @notice Ends the device's current key (if any) at this block and starts `newKeyHash` at this block.
    /// @dev Site manager of the device's site only.
    function rotateDeviceKey(bytes32 deviceId, bytes32 newKeyHash) external;

    /// @notice Ends the device's current key at this block; readings signed earlier stay valid.
    /// @dev Site manager of the device's site only.
    function revokeDeviceKey(bytes32 deviceId) external;

    /// @notice Registers a product with the fields a PACT footprint needs. Site manager only.
    function registerProduct(
        bytes32 siteId,
        bytes32 productId,
        ProductInput calldata input
    ) external;

    /// @notice Revokes `oldOracle` and authorises `newOracle` for `siteId` in one step. Site manager only.
    function rotateOracle(bytes32 siteId, address oldOracle, address newOracle) external;

    /// @notice The role id of `baseRole` (SITE_MANAGER_ROLE, OPERATOR_ROLE or ORACLE_ROLE) at `siteId`.
    function siteRole(bytes32 baseRole, bytes32 siteId) external pure returns (bytes32);

    /// @notice The site's token receiver, or zero when the site is unknown.
    function siteOwner(bytes32 siteId) external view returns (address);

    /// @notice Whether `account` may sign containers and footprints for `siteId` now.
    function isOracle(bytes32 siteId, address account) external view returns (bool);

    /// @notice Whether `account` was an oracle of `siteId` at block `blockNumber` (intervals are half-open).
    function wasOracleAt(
        bytes32 siteId,
        address account,
        uint256 blockNumber
    ) external view returns (bool);

    /// @notice Every authorisation interval of `account` at `siteId`, oldest first.
    function oracleTerms(bytes32 siteId, address account) external view returns (Term[] memory);

    /// @notice Whether `account` may stamp jobs for `siteId` now.
    function isOperator(bytes32 siteId, address account) external view returns (bool);

    /// @notice The site of a machine, or zero when unknown.
    function machineSite(bytes32 machineId) external view returns (bytes32);

    /// @notice A device's record; `siteId` is zero when unknown.
    function device(bytes32 deviceId) external view returns (Device memory);

    /// @notice Every key the device has had, oldest first.
    function deviceKeyTerms(bytes32 deviceId) external view returns (KeyTerm[] memory);

    /// @notice Whether `keyHash` was a valid key of the device at block `blockNumber`.
    function wasDeviceKeyAt(
        bytes32 deviceId,
        bytes32 keyHash,
        uint256 blockNumber
    ) external view returns (bool);

    /// @notice A product's record; `siteId` is zero when unknown.
    function product(bytes32 productId) external view returns (Product memory);
}
