import type { InvalidInputError } from "../errors/index.ts";
import { hashSortedPairInto } from "./keccak256Into.ts";
import { parseHash } from "./internal/hex.ts";
import type { Hex } from "./types.ts";

export type VerifyMerkleProofParameters = [root: Hex, leafHash: Hex, proof: readonly Hex[]];
export type VerifyMerkleProofReturnType = boolean;
/** Only for malformed input (not 32-byte hex); a wrong proof returns false. */
export type VerifyMerkleProofErrorType = InvalidInputError;

/**
 * Whether `proof` links `leafHash` to `root` with sorted-pair hashing, as
 * OZ `MerkleProof.verify` decides on chain.
 *
 * @example
 * ```ts
 * const tree = buildMerkleTree(types, values);
 * verifyMerkleProof(tree.root, tree.getLeafHash(3), tree.getProof(3)); // true
 * ```
 */
export function verifyMerkleProof(
  ...[root, leafHash, proof]: VerifyMerkleProofParameters
): VerifyMerkleProofReturnType {
  const expected = parseHash(root, "root");
  // [current | sibling]; each step hashes the pair back into `current`.
  const pair = new Uint8Array(64);
  pair.set(parseHash(leafHash, "leafHash"), 0);
  for (let k = 0; k < proof.length; k++) {
    pair.set(parseHash(proof[k], `proof[${k}]`), 32);
    hashSortedPairInto(pair, 0, 32, pair, 0);
  }
  for (let i = 0; i < 32; i++) if (pair[i] !== expected[i]) return false;
  return true;
}
