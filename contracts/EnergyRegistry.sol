// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IEnergyRegistry} from "./interfaces/IEnergyRegistry.sol";

/// @title EnergyRegistry
/// @notice Sites, machines, devices, products and per-site roles. See {IEnergyRegistry}.
contract EnergyRegistry is AccessControl, IEnergyRegistry {
    /// @notice Global role of auditors: they record verdicts on containers and lots.
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");
    /// @notice Base of the per-site manager role (see {siteRole}).
    bytes32 public constant SITE_MANAGER_ROLE = keccak256("SITE_MANAGER_ROLE");
    /// @notice Base of the per-site operator role: stamps jobs.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    /// @notice Base of the per-site oracle role: signs containers, footprints and relayed stamps.
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");

    uint64 private constant _OPEN = type(uint64).max;
    uint8 private constant _MAX_DEVICE_KIND = 7;
    uint8 private constant _MAX_DECLARED_UNIT = 7;

    mapping(bytes32 siteId => address owner) private _siteOwners;
    // Role id -> site, only for the per-site oracle roles: lets the grant/revoke hooks recognise them
    // without re-hashing every known site.
    mapping(bytes32 role => bytes32 siteId) private _oracleRoleSites;
    mapping(bytes32 siteId => mapping(address oracle => Term[])) private _oracleTerms;
    mapping(bytes32 machineId => bytes32 siteId) private _machineSites;
    mapping(bytes32 deviceId => Device) private _devices;
    mapping(bytes32 deviceId => KeyTerm[]) private _deviceKeys;
    mapping(bytes32 productId => Product) private _products;

    /// @param admin Receives DEFAULT_ADMIN_ROLE: registers sites and auditors, configures the other contracts.
    constructor(address admin) {
        if (admin == address(0)) revert Registry_ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    modifier onlySiteManager(bytes32 siteId) {
        _checkSiteManager(siteId);
        _;
    }

    /// @inheritdoc IEnergyRegistry
    function registerSite(
        bytes32 siteId,
        address owner,
        address manager,
        string calldata name
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (siteId == bytes32(0)) revert Registry_ZeroId();
        if (owner == address(0) || manager == address(0)) revert Registry_ZeroAddress();
        if (_siteOwners[siteId] != address(0)) revert Registry_SiteExists(siteId);
        _siteOwners[siteId] = owner;
        bytes32 managerRole = _siteRole(SITE_MANAGER_ROLE, siteId);
        bytes32 oracleRole = _siteRole(ORACLE_ROLE, siteId);
        _oracleRoleSites[oracleRole] = siteId;
        // A site's manager administers its operators and oracles, and nothing else: that is what stops a
        // manager of site A from granting itself anything at site B or globally.
        _setRoleAdmin(_siteRole(OPERATOR_ROLE, siteId), managerRole);
        _setRoleAdmin(oracleRole, managerRole);
        emit SiteRegistered(siteId, owner, manager, name);
        _grantRole(managerRole, manager);
    }

    /// @inheritdoc IEnergyRegistry
    function setSiteOwner(bytes32 siteId, address newOwner) external onlySiteManager(siteId) {
        if (newOwner == address(0)) revert Registry_ZeroAddress();
        address previous = _siteOwners[siteId];
        _siteOwners[siteId] = newOwner;
        emit SiteOwnerChanged(siteId, previous, newOwner);
    }

    /// @inheritdoc IEnergyRegistry
    function registerMachine(
        bytes32 siteId,
        bytes32 machineId,
        string calldata name
    ) external onlySiteManager(siteId) {
        if (machineId == bytes32(0)) revert Registry_ZeroId();
        if (_machineSites[machineId] != bytes32(0)) revert Registry_MachineExists(machineId);
        _machineSites[machineId] = siteId;
        emit MachineRegistered(siteId, machineId, name);
    }

    /// @inheritdoc IEnergyRegistry
    function registerDevice(
        bytes32 siteId,
        bytes32 deviceId,
        bytes32 machineId,
        uint8 kind,
        bytes32 keyHash
    ) external onlySiteManager(siteId) {
        if (deviceId == bytes32(0)) revert Registry_ZeroId();
        if (_devices[deviceId].siteId != bytes32(0)) revert Registry_DeviceExists(deviceId);
        if (machineId != bytes32(0) && _machineSites[machineId] != siteId) {
            revert Registry_UnknownMachine(siteId, machineId);
        }
        if (kind == 0 || kind > _MAX_DEVICE_KIND) revert Registry_InvalidDeviceKind(kind);
        if (keyHash == bytes32(0)) revert Registry_ZeroKeyHash();
        _devices[deviceId] = Device({siteId: siteId, machineId: machineId, kind: kind});
        uint64 fromBlock = uint64(block.number);
        _deviceKeys[deviceId].push(
            KeyTerm({keyHash: keyHash, fromBlock: fromBlock, untilBlock: _OPEN})
        );
        emit DeviceRegistered(siteId, deviceId, machineId, kind, keyHash, fromBlock);
    }

    /// @inheritdoc IEnergyRegistry
    function rotateDeviceKey(bytes32 deviceId, bytes32 newKeyHash) external {
        _checkSiteManager(_deviceSite(deviceId));
        if (newKeyHash == bytes32(0)) revert Registry_ZeroKeyHash();
        _closeDeviceKey(deviceId);
        uint64 fromBlock = uint64(block.number);
        _deviceKeys[deviceId].push(
            KeyTerm({keyHash: newKeyHash, fromBlock: fromBlock, untilBlock: _OPEN})
        );
        emit DeviceKeyActivated(deviceId, newKeyHash, fromBlock);
    }

    /// @inheritdoc IEnergyRegistry
    function revokeDeviceKey(bytes32 deviceId) external {
        _checkSiteManager(_deviceSite(deviceId));
        if (!_closeDeviceKey(deviceId)) revert Registry_NoActiveKey(deviceId);
    }

    /// @inheritdoc IEnergyRegistry
    function registerProduct(
        bytes32 siteId,
        bytes32 productId,
        ProductInput calldata input
    ) external onlySiteManager(siteId) {
        if (productId == bytes32(0)) revert Registry_ZeroId();
        if (_products[productId].siteId != bytes32(0)) revert Registry_ProductExists(productId);
        if (bytes(input.sku).length == 0) revert Registry_EmptySku();
        if (input.declaredUnit == 0 || input.declaredUnit > _MAX_DECLARED_UNIT) {
            revert Registry_InvalidDeclaredUnit(input.declaredUnit);
        }
        _products[productId] = Product({
            siteId: siteId,
            declaredUnit: input.declaredUnit,
            unitaryProductAmountMicros: input.unitaryProductAmountMicros,
            massPerDeclaredUnitMilligrams: input.massPerDeclaredUnitMilligrams
        });
        emit ProductRegistered(
            siteId,
            productId,
            input.sku,
            input.name,
            input.cpcCode,
            input.declaredUnit,
            input.unitaryProductAmountMicros,
            input.massPerDeclaredUnitMilligrams
        );
    }

    /// @inheritdoc IEnergyRegistry
    function rotateOracle(
        bytes32 siteId,
        address oldOracle,
        address newOracle
    ) external onlySiteManager(siteId) {
        bytes32 role = _siteRole(ORACLE_ROLE, siteId);
        if (!hasRole(role, oldOracle)) revert Registry_NotOracle(siteId, oldOracle);
        if (newOracle == address(0)) revert Registry_ZeroAddress();
        _revokeRole(role, oldOracle);
        _grantRole(role, newOracle);
    }

    /// @inheritdoc IEnergyRegistry
    function siteRole(bytes32 baseRole, bytes32 siteId) external pure returns (bytes32) {
        return _siteRole(baseRole, siteId);
    }

    /// @inheritdoc IEnergyRegistry
    function siteOwner(bytes32 siteId) external view returns (address) {
        return _siteOwners[siteId];
    }

    /// @inheritdoc IEnergyRegistry
    function isOracle(bytes32 siteId, address account) external view returns (bool) {
        return hasRole(_siteRole(ORACLE_ROLE, siteId), account);
    }

    /// @inheritdoc IEnergyRegistry
    function wasOracleAt(
        bytes32 siteId,
        address account,
        uint256 blockNumber
    ) external view returns (bool) {
        Term[] storage terms = _oracleTerms[siteId][account];
        for (uint256 i = terms.length; i > 0; --i) {
            Term storage term = terms[i - 1];
            // Terms are half-open [fromBlock, untilBlock).
            // solhint-disable-next-line gas-strict-inequalities
            if (term.fromBlock <= blockNumber && blockNumber < term.untilBlock) return true;
        }
        return false;
    }

    /// @inheritdoc IEnergyRegistry
    function oracleTerms(bytes32 siteId, address account) external view returns (Term[] memory) {
        return _oracleTerms[siteId][account];
    }

    /// @inheritdoc IEnergyRegistry
    function isOperator(bytes32 siteId, address account) external view returns (bool) {
        return hasRole(_siteRole(OPERATOR_ROLE, siteId), account);
    }

    /// @inheritdoc IEnergyRegistry
    function machineSite(bytes32 machineId) external view returns (bytes32) {
        return _machineSites[machineId];
    }

    /// @inheritdoc IEnergyRegistry
    function device(bytes32 deviceId) external view returns (Device memory) {
        return _devices[deviceId];
    }

    /// @inheritdoc IEnergyRegistry
    function deviceKeyTerms(bytes32 deviceId) external view returns (KeyTerm[] memory) {
        return _deviceKeys[deviceId];
    }

    /// @inheritdoc IEnergyRegistry
    function wasDeviceKeyAt(
        bytes32 deviceId,
        bytes32 keyHash,
        uint256 blockNumber
    ) external view returns (bool) {
        KeyTerm[] storage terms = _deviceKeys[deviceId];
        for (uint256 i = terms.length; i > 0; --i) {
            KeyTerm storage term = terms[i - 1];
            // Terms are half-open [fromBlock, untilBlock).
            bool inTerm =
                blockNumber < term.untilBlock &&
                    // solhint-disable-next-line gas-strict-inequalities
                    term.fromBlock <= blockNumber;
            if (inTerm && term.keyHash == keyHash) return true;
        }
        return false;
    }

    /// @inheritdoc IEnergyRegistry
    function product(bytes32 productId) external view returns (Product memory) {
        return _products[productId];
    }

    /// @dev Every grant goes through here (grantRole, rotateOracle, the constructor), so an oracle role can
    /// never be held without an open interval recording since when.
    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        bytes32 siteId = _oracleRoleSites[role];
        if (granted && siteId != bytes32(0)) {
            uint64 fromBlock = uint64(block.number);
            _oracleTerms[siteId][account].push(Term({fromBlock: fromBlock, untilBlock: _OPEN}));
            emit OracleAuthorized(siteId, account, fromBlock);
        }
    }

    /// @dev Every revocation goes through here (revokeRole, renounceRole, rotateOracle): the open interval is
    /// closed at this block, so containers anchored in earlier blocks keep a valid signer.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        bytes32 siteId = _oracleRoleSites[role];
        if (revoked && siteId != bytes32(0)) {
            Term[] storage terms = _oracleTerms[siteId][account];
            uint64 untilBlock = uint64(block.number);
            // The role was held, so the grant hook pushed an open term that is still the last one.
            terms[terms.length - 1].untilBlock = untilBlock;
            emit OracleDeauthorized(siteId, account, untilBlock);
        }
    }

    function _closeDeviceKey(bytes32 deviceId) private returns (bool closed) {
        KeyTerm[] storage terms = _deviceKeys[deviceId];
        uint256 length = terms.length;
        if (length == 0 || terms[length - 1].untilBlock != _OPEN) return false;
        KeyTerm storage current = terms[length - 1];
        uint64 untilBlock = uint64(block.number);
        current.untilBlock = untilBlock;
        emit DeviceKeyRevoked(deviceId, current.keyHash, untilBlock);
        return true;
    }

    function _checkSiteManager(bytes32 siteId) private view {
        if (_siteOwners[siteId] == address(0)) revert Registry_UnknownSite(siteId);
        if (!hasRole(_siteRole(SITE_MANAGER_ROLE, siteId), _msgSender())) {
            revert Registry_NotSiteManager(siteId, _msgSender());
        }
    }

    function _deviceSite(bytes32 deviceId) private view returns (bytes32 siteId) {
        siteId = _devices[deviceId].siteId;
        if (siteId == bytes32(0)) revert Registry_UnknownDevice(deviceId);
    }

    function _siteRole(bytes32 baseRole, bytes32 siteId) private pure returns (bytes32) {
        return keccak256(abi.encode(baseRole, siteId));
    }
}
