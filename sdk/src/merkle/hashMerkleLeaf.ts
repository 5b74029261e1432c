import type { InvalidInputError } from "../errors/index.ts";
import { getHashEngine } from "./internal/getHashEngine.ts";
import { bytesToHex } from "./internal/hex.ts";
import { compileLeafEncoder } from "./internal/leafEncoder.ts";
import type { Hex, LeafEncoding } from "./types.ts";

export type HashMerkleLeafParameters = [types: LeafEncoding, value: readonly unknown[]];
export type HashMerkleLeafReturnType = Hex;
export type HashMerkleLeafErrorType = InvalidInputError;

/**
 * The standard leaf hash of one value: keccak256(keccak256(abi.encode(value))),
 * as `StandardMerkleTree.leafHash` computes it. Errors name the field as `value[i]`.
 *
 * @example
 * ```ts
 * const leaf = hashMerkleLeaf(["address", "uint256"], ["0x1111111111111111111111111111111111111111", 5n]);
 * verifyMerkleProof(root, leaf, proof);
 * ```
 */
export function hashMerkleLeaf(
  ...[types, value]: HashMerkleLeafParameters
): HashMerkleLeafReturnType {
  const encoded = compileLeafEncoder(types).encode(value, "value");
  const out = new Uint8Array(32);
  getHashEngine().hashLeafEncodings(encoded, encoded.length, 1, out, 0);
  return bytesToHex(out);
}
