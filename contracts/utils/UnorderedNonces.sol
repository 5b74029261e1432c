// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IUnorderedNonces} from "../interfaces/IUnorderedNonces.sol";

/// @title UnorderedNonces
/// @notice Bitmap nonces (as in Uniswap's Permit2): nonce `n` is bit `n % 256` of word `n / 256`. A signer
/// that counts nonces up from zero writes one fresh storage slot per 256 messages; the rest flip a bit in a
/// word that is already non-zero.
abstract contract UnorderedNonces is IUnorderedNonces {
    mapping(address signer => mapping(uint256 word => uint256 bits)) private _nonceBitmaps;

    /// @inheritdoc IUnorderedNonces
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool) {
        return _nonceBitmaps[signer][nonce >> 8] & (uint256(1) << (nonce & 0xff)) != 0;
    }

    /// @dev Consumes `nonce` of `signer`, reverting with {Nonces_AlreadyUsed} when it was consumed before.
    function _useNonce(address signer, uint256 nonce) internal {
        uint256 bit = uint256(1) << (nonce & 0xff);
        mapping(uint256 word => uint256 bits) storage bitmap = _nonceBitmaps[signer];
        uint256 word = bitmap[nonce >> 8];
        if (word & bit != 0) revert Nonces_AlreadyUsed(signer, nonce);
        bitmap[nonce >> 8] = word | bit;
        emit NonceUsed(signer, nonce);
    }
}
