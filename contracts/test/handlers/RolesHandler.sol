// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Invariant handlers swallow reverts on purpose (empty catch blocks: a rejected call is an expected outcome)
// and expose their wiring as public getters for the invariant contracts.
/* solhint-disable no-empty-blocks, immutable-vars-naming, gas-small-strings */

import {EnergyRegistry} from "../../EnergyRegistry.sol";
import {Vm} from "../utils/Vm.sol";

/// @title RolesHandler
/// @notice Invariant-test actor: as any of a few non-admin accounts, tries to grant, revoke and renounce any
/// of a list of roles, and to register sites.
contract RolesHandler {
    Vm private constant _VM = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    EnergyRegistry public immutable registry;
    address[] public actors;
    bytes32[] public roles;

    constructor(EnergyRegistry registry_, address[] memory actors_, bytes32[] memory roles_) {
        registry = registry_;
        actors = actors_;
        roles = roles_;
    }

    function grant(uint8 actor, uint8 role, uint8 target) external {
        _VM.prank(actors[actor % actors.length]);
        try
            registry.grantRole(roles[role % roles.length], actors[target % actors.length])
        {} catch {}
    }

    function revoke(uint8 actor, uint8 role, uint8 target) external {
        _VM.prank(actors[actor % actors.length]);
        try
            registry.revokeRole(roles[role % roles.length], actors[target % actors.length])
        {} catch {}
    }

    function renounce(uint8 actor, uint8 role) external {
        address account = actors[actor % actors.length];
        _VM.prank(account);
        try registry.renounceRole(roles[role % roles.length], account) {} catch {}
    }

    function registerSite(uint8 actor, bytes32 siteId) external {
        address account = actors[actor % actors.length];
        _VM.prank(account);
        try registry.registerSite(siteId, account, account, "") {} catch {}
    }
}
