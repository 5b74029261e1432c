// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Test code keeps Foundry's conventions (test_fn_condition / invariant_x names, forge-std-style helper
// and constant names, the `Vm` interface name), so the naming rules for production code are off here.
/* solhint-disable func-name-mixedcase, private-vars-leading-underscore, interface-starts-with-i */
/* solhint-disable gas-small-strings */

import {Vm} from "./Vm.sol";

/// @title Test
/// @notice Minimal stand-in for forge-std's Test: the cheatcode handle, assertions that revert with the
/// values that differ, and `bound`.
abstract contract Test {
    /// @dev address(uint160(uint256(keccak256("hevm cheat code")))), where every Foundry-style runner listens.
    Vm internal constant VM = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    error AssertionFailed(string what);
    error AssertionFailedUint(string what, uint256 actual, uint256 expected);
    error AssertionFailedBytes32(string what, bytes32 actual, bytes32 expected);
    error AssertionFailedAddress(string what, address actual, address expected);

    /// @dev Foundry's invariant runner reads this: true marks a failed test.
    function failed() external pure returns (bool) {
        return false;
    }

    function assertTrue(bool condition, string memory what) internal pure {
        if (!condition) revert AssertionFailed(what);
    }

    function assertFalse(bool condition, string memory what) internal pure {
        if (condition) revert AssertionFailed(what);
    }

    function assertEq(uint256 actual, uint256 expected, string memory what) internal pure {
        if (actual != expected) revert AssertionFailedUint(what, actual, expected);
    }

    function assertEq(bytes32 actual, bytes32 expected, string memory what) internal pure {
        if (actual != expected) revert AssertionFailedBytes32(what, actual, expected);
    }

    function assertEq(address actual, address expected, string memory what) internal pure {
        if (actual != expected) revert AssertionFailedAddress(what, actual, expected);
    }

    /// @dev Maps any `value` into [min, max] without discarding runs (unlike `assume`).
    function bound(uint256 value, uint256 min, uint256 max) internal pure returns (uint256) {
        if (min > max) revert AssertionFailed("bound: min > max");
        uint256 size = max - min;
        if (size == type(uint256).max) return value;
        return min + (value % (size + 1));
    }
}
