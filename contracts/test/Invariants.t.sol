// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Test code keeps Foundry's conventions (test_fn_condition / invariant_x names, forge-std-style helper
// and constant names, the `Vm` interface name), so the naming rules for production code are off here.
/* solhint-disable func-name-mixedcase, private-vars-leading-underscore, interface-starts-with-i */
/* solhint-disable gas-small-strings */

import {ContainersHandler} from "./handlers/ContainersHandler.sol";
import {LotsHandler} from "./handlers/LotsHandler.sol";
import {RolesHandler} from "./handlers/RolesHandler.sol";
import {Deployment} from "./utils/Deployment.sol";

/// @notice No container id is ever minted twice, and only the site's oracle ever gets one anchored.
contract ContainersInvariantTest is Deployment {
    ContainersHandler private _handler;

    function setUp() public {
        _deploy();
        _handler = new ContainersHandler(containers, SITE, ORACLE_KEY);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(_handler);
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 40
    function invariant_noContainerIdTwice() public view {
        assertEq(_handler.duplicatesAccepted(), 0, "an id was anchored twice");
        uint256 count = _handler.anchoredCount();
        for (uint256 i = 0; i < count; ++i) {
            assertEq(
                containers.balanceOf(SITE_OWNER, _handler.anchoredIds(i)),
                1,
                "one token per container"
            );
        }
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 40
    function invariant_onlySiteOracleAnchors() public view {
        assertEq(_handler.nonOracleAccepted(), 0, "a non-oracle signature anchored a container");
    }

    function test_handler_anchorsSomething() public {
        _handler.anchor(1, 0, 0, keccak256("r"));
        assertEq(_handler.anchoredCount(), 1, "the oracle path of the handler works");
    }
}

/// @notice A lot's total supply always equals the units it was minted with, transfers or not.
contract LotsInvariantTest is Deployment {
    LotsHandler private _handler;

    function setUp() public {
        _deploy();
        _handler = new LotsHandler(jobs, lots, SITE, PRODUCT, MACHINE, ORACLE_KEY, SITE_OWNER);
        registry.grantRole(registry.siteRole(registry.OPERATOR_ROLE(), SITE), address(_handler));
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(_handler);
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 40
    function invariant_lotSupplyEqualsUnits() public view {
        uint256 count = _handler.lotCount();
        for (uint256 i = 0; i < count; ++i) {
            uint256 lotId = _handler.lotIds(i);
            assertEq(lots.totalSupply(lotId), lots.lot(lotId).units, "supply == units");
        }
    }

    function test_handler_mintsALot() public {
        _handler.runJob(5);
        _handler.runJob(7);
        _handler.mintLot(1, 0);
        assertEq(_handler.lotCount(), 1, "an honest footprint mints");
        assertEq(lots.totalSupply(_handler.lotIds(0)), 12, "supply is the jobs' units");
    }
}

/// @notice Non-admin accounts never gain a role they were not given by its admin: no admin, no auditor,
/// nothing at a site they do not manage.
contract RolesInvariantTest is Deployment {
    bytes32 private constant SITE3 = keccak256("site:turin-3");
    address private constant MANAGER3 = address(0x3333);
    address private constant STRANGER = address(0x5555);
    RolesHandler private _handler;
    address[] private _actors;

    function setUp() public {
        _deploy();
        registry.registerSite(SITE3, MANAGER3, MANAGER3, "Turin 3");
        _actors = [MANAGER3, oracle, operator, STRANGER];
        bytes32[] memory roles = new bytes32[](9);
        roles[0] = registry.DEFAULT_ADMIN_ROLE();
        roles[1] = registry.AUDITOR_ROLE();
        roles[2] = registry.siteRole(registry.SITE_MANAGER_ROLE(), SITE3);
        roles[3] = registry.siteRole(registry.ORACLE_ROLE(), SITE3);
        roles[4] = registry.siteRole(registry.OPERATOR_ROLE(), SITE3);
        roles[5] = registry.siteRole(registry.SITE_MANAGER_ROLE(), SITE);
        roles[6] = registry.siteRole(registry.ORACLE_ROLE(), SITE);
        roles[7] = registry.siteRole(registry.OPERATOR_ROLE(), SITE);
        roles[8] = registry.siteRole(registry.ORACLE_ROLE(), OTHER_SITE);
        _handler = new RolesHandler(registry, _actors, roles);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(_handler);
    }

    /// forge-config: default.invariant.runs = 32
    /// forge-config: default.invariant.depth = 40
    function invariant_noRoleEscalation() public view {
        bytes32 siteManager = registry.siteRole(registry.SITE_MANAGER_ROLE(), SITE);
        bytes32 siteOracle = registry.siteRole(registry.ORACLE_ROLE(), SITE);
        bytes32 siteOperator = registry.siteRole(registry.OPERATOR_ROLE(), SITE);
        for (uint256 i = 0; i < _actors.length; ++i) {
            address actor = _actors[i];
            assertFalse(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), actor), "admin escalation");
            assertFalse(registry.hasRole(registry.AUDITOR_ROLE(), actor), "auditor escalation");
            assertFalse(registry.hasRole(siteManager, actor), "manager of a foreign site");
            assertFalse(
                registry.hasRole(registry.siteRole(registry.ORACLE_ROLE(), OTHER_SITE), actor),
                "foreign oracle"
            );
            // At SITE, only the accounts set up with a role may still hold it (renouncing is allowed).
            if (actor != oracle)
                assertFalse(registry.hasRole(siteOracle, actor), "oracle escalation");
            if (actor != operator)
                assertFalse(registry.hasRole(siteOperator, actor), "operator escalation");
            if (actor != MANAGER3) {
                assertFalse(
                    registry.hasRole(registry.siteRole(registry.SITE_MANAGER_ROLE(), SITE3), actor),
                    "manager escalation"
                );
            }
        }
    }

    function test_handler_managerGrantsOwnSiteOnly() public {
        _handler.grant(0, 3, 3); // MANAGER3 makes STRANGER an oracle of SITE3: allowed.
        assertTrue(
            registry.hasRole(registry.siteRole(registry.ORACLE_ROLE(), SITE3), STRANGER),
            "own site"
        );
        _handler.grant(0, 6, 3); // ... and of SITE: refused.
        assertFalse(
            registry.hasRole(registry.siteRole(registry.ORACLE_ROLE(), SITE), STRANGER),
            "foreign site"
        );
    }
}
