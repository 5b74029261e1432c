import { InvalidInputError } from "../errors/index.ts";
import { MerkleTree } from "../merkle/MerkleTree.ts";
import { getHashEngine } from "../merkle/internal/getHashEngine.ts";
import { describe } from "../merkle/internal/hex.ts";
import { READING_LEAF_BYTES, packReadingLeaf } from "./internal/packReadingLeaf.ts";
import { READING_LEAF_TYPES, type ReadingLeaf } from "./readingLeaf.ts";
import { readingLeafToValues, type ReadingLeafValues } from "./readingLeafToValues.ts";
import { defined } from "../merkle/internal/defined.ts";

export type BuildReadingTreeParameters = [leaves: readonly ReadingLeaf[]];
export type BuildReadingTreeReturnType = MerkleTree<ReadingLeafValues>;
export type BuildReadingTreeErrorType = InvalidInputError;

/**
 * The Merkle tree over a container's reading leaves; the same tree as
 * `StandardMerkleTree.of(leaves.map(readingLeafToValues), READING_LEAF_TYPES)`,
 * built by packing each leaf's fields straight into the hash engine's memory and
 * hashing in bulk. For large containers prefer buildReadingTreeFromColumns,
 * which needs no object per reading. Value i of the tree is leaf i; errors name `leaves[i].<field>`.
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
  const build = getHashEngine().startTree(count, READING_LEAF_BYTES);
  const { batch, batchLeaves } = build;
  for (let start = 0; start < count; start += batchLeaves) {
    const end = Math.min(count, start + batchLeaves);
    for (let i = start; i < end; i++) {
      packReadingLeaf(leaves[i], "leaves", i, batch, (i - start) * READING_LEAF_BYTES);
    }
    build.hashBatch(start, end - start);
  }
  const { nodes, treeIndexOfValue } = build.finish();
  return new MerkleTree(READING_LEAF_TYPES, nodes, treeIndexOfValue, (i) =>
    readingLeafToValues(defined(leaves[i])),
  );
}
