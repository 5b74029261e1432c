// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

// Test code keeps Foundry's conventions (test_fn_condition / invariant_x names, forge-std-style helper
// and constant names, the `Vm` interface name), so the naming rules for production code are off here.
/* solhint-disable func-name-mixedcase, private-vars-leading-underscore, interface-starts-with-i */
/* solhint-disable gas-small-strings */

/// @title Vm
/// @notice The few cheatcodes these tests use, declared here because forge-std cannot be fetched offline.
/// The runner (Hardhat 3's EDR) serves them at the Foundry cheatcode address.
interface Vm {
    function addr(uint256 privateKey) external pure returns (address);
    function sign(
        uint256 privateKey,
        bytes32 digest
    ) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 revertSelector) external;
    function assume(bool condition) external pure;
    function roll(uint256 blockNumber) external;
    function warp(uint256 timestamp) external;
    function load(address target, bytes32 slot) external view returns (bytes32 data);
}
