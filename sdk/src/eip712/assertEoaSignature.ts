import type { Hex } from "viem";
import { hexToBigInt, isHex, size, slice } from "viem";
import { InvalidInputError } from "../errors/index.ts";

export type AssertEoaSignatureErrorType = InvalidInputError;

// secp256k1 group order n, and n / 2: EIP-2 / OpenZeppelin ECDSA refuse s above it.
const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * Checks that a signature is a canonical 65-byte ECDSA signature (r ‖ s ‖ v):
 * s in the lower half of the curve order and v 27 or 28. For every valid
 * signature (r, s) there is a twin (r, n − s) over the same message;
 * OpenZeppelin's ECDSA, used by our contracts, refuses the high-s twin, and so
 * do we, so that off-chain and on-chain checks agree.
 *
 * @param path - how an error names the signature (default `signature`).
 * @throws {InvalidInputError} when the signature is malformed or not canonical.
 * @example
 * ```ts
 * assertEoaSignature(await account.signTypedData(typedData)); // passes (viem signs low-s)
 * ```
 */
export function assertEoaSignature(signature: Hex, path = "signature"): void {
  if (!isHex(signature, { strict: true }) || size(signature) !== 65 || signature.length !== 132)
    throw new InvalidInputError(path, "must be 65 bytes of 0x-hex (r, s, v)", {
      hints: ["Compact (64-byte, EIP-2098) signatures are not accepted."],
    });
  const s = hexToBigInt(slice(signature, 32, 64));
  if (s === 0n || s > HALF_ORDER)
    throw new InvalidInputError(path, "s is not in the lower half of the curve order", {
      hints: ["Use the canonical (low-s) form, as viem, ethers and wallets produce it."],
    });
  const v = hexToBigInt(slice(signature, 64, 65));
  if (v !== 27n && v !== 28n) throw new InvalidInputError(path, `v must be 27 or 28, got ${v}`);
}
