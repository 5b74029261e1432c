import { InvalidInputError } from "../errors/index.ts";
import type { MerkleTree } from "../merkle/MerkleTree.ts";
import { assembleTree } from "../merkle/internal/assembleTree.ts";
import { getHashEngine } from "../merkle/internal/getHashEngine.ts";
import { describe } from "../merkle/internal/hex.ts";
import { READING_LEAF_BYTES, packReadingLeaf } from "./internal/packReadingLeaf.ts";
import { READING_LEAF_TYPES, type ReadingLeaf } from "./readingLeaf.ts";
import { readingLeafToValues, type ReadingLeafValues } from "./readingLeafToValues.ts";
import { defined } from "../merkle/internal/defined.ts";

export type BuildReadingTreeParameters = [leaves: readonly ReadingLeaf[]];
export type BuildReadingTreeReturnType = MerkleTree<ReadingLeafValues>;
export type BuildReadingTreeErrorType = InvalidInputError;

const BATCH_LEAVES = 2048;

/**
 * The Merkle tree over a container's reading leaves; the same tree as
 * `StandardMerkleTree.of(leaves.map(readingLeafToValues), READING_LEAF_TYPES)`,
 * built by packing each leaf's fields straight into a reused buffer and hashing
 * in bulk. Value i of the tree is leaf i; errors name `leaves[i].<field>`.
 *
 * @example
 * ```ts
 * const tree = buildReadingTree(leaves);
 * const proof = tree.getProof(17);
 * verifyMerkleProof(tree.root, tree.getLeafHash(17), proof); // true
 * ```
 */
export function buildReadingTree(
  ...[leaves]: BuildReadingTreeParameters
): BuildReadingTreeReturnType {
  const input: unknown = leaves;
  if (!Array.isArray(input) || input.length === 0) {
    throw new InvalidInputError(
      "leaves",
      `expected a non-empty array of reading leaves, got ${describe(leaves)}`,
    );
  }
  const count = leaves.length;
  const leafHashes = new Uint8Array(32 * count);
  const batch = new Uint8Array(READING_LEAF_BYTES * Math.min(count, BATCH_LEAVES));
  const engine = getHashEngine();
  for (let start = 0; start < count; start += BATCH_LEAVES) {
    const end = Math.min(count, start + BATCH_LEAVES);
    for (let i = start; i < end; i++) {
      packReadingLeaf(leaves[i], "leaves", i, batch, (i - start) * READING_LEAF_BYTES);
    }
    engine.hashLeafEncodings(batch, READING_LEAF_BYTES, end - start, leafHashes, 32 * start);
  }
  return assembleTree(READING_LEAF_TYPES, leafHashes, count, (i) =>
    readingLeafToValues(defined(leaves[i])),
  );
}
