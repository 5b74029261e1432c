// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Unordered nonces: a 256-bit bitmap word per signer, so signed messages land in any order but once
/// @notice Nonces are scoped to the contract (its EIP-712 domain) and the signer: the same nonce may be used
/// by another signer or at another contract.
interface IUnorderedNonces {
    /// @notice `signer`'s nonce `nonce` was consumed.
    // Nonces are looked up by signer; the nonce itself is a value (isNonceUsed answers by nonce).
    // solhint-disable-next-line gas-indexed-events
    event NonceUsed(address indexed signer, uint256 nonce);

    /// @notice The nonce was consumed before: the message is a replay.
    error Nonces_AlreadyUsed(address signer, uint256 nonce);

    /// @notice Whether `signer`'s `nonce` has been consumed at this contract.
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool);
}
