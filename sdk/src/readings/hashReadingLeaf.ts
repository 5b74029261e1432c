import type { InvalidInputError } from "../errors/index.ts";
import { getHashEngine } from "../merkle/internal/getHashEngine.ts";
import { bytesToHex } from "../merkle/internal/hex.ts";
import type { Hex } from "../merkle/types.ts";
import { READING_LEAF_BYTES, packReadingLeaf } from "./internal/packReadingLeaf.ts";
import type { ReadingLeaf } from "./readingLeaf.ts";

export type HashReadingLeafParameters = [leaf: ReadingLeaf];
export type HashReadingLeafReturnType = Hex;
export type HashReadingLeafErrorType = InvalidInputError;

/**
 * The Merkle leaf hash of one reading: keccak256(keccak256(abi.encode(values)))
 * over READING_LEAF_TYPES, the hash `MerkleProof.verify` checks on chain.
 * Errors name the field as `leaf.<field>`.
 *
 * @example
 * ```ts
 * verifyMerkleProof(containerRoot, hashReadingLeaf(leaf), proof);
 * ```
 */
export function hashReadingLeaf(...[leaf]: HashReadingLeafParameters): HashReadingLeafReturnType {
  const packed = new Uint8Array(READING_LEAF_BYTES);
  packReadingLeaf(leaf, "leaf", -1, packed, 0);
  const out = new Uint8Array(32);
  getHashEngine().hashLeafEncodings(packed, READING_LEAF_BYTES, 1, out, 0);
  return bytesToHex(out);
}
