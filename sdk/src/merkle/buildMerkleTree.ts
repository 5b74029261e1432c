import { InvalidInputError } from "../errors/index.ts";
import { MerkleTree } from "./MerkleTree.ts";
import { getHashEngine } from "./internal/getHashEngine.ts";
import { describe } from "./internal/hex.ts";
import { compileLeafEncoder } from "./internal/leafEncoder.ts";
import type { LeafEncoding, LeafValue } from "./types.ts";
import { defined } from "./internal/defined.ts";

export type BuildMerkleTreeParameters<value extends LeafValue> = [
  types: LeafEncoding,
  values: readonly value[],
];
export type BuildMerkleTreeReturnType<value extends LeafValue> = MerkleTree<value>;
/** Thrown for bad types or values; `path` names the spot, e.g. `values[3][1]`. */
export type BuildMerkleTreeErrorType = InvalidInputError;

/**
 * Builds the Merkle tree `StandardMerkleTree.of(values, types)` from
 * `@openzeppelin/merkle-tree` builds (same root, proofs, layout), much faster:
 * leaves made only of static word types (bytesN, uintN, intN, address, bool)
 * are ABI-packed straight into one buffer and hashed in bulk; other types go
 * through viem's `encodeAbiParameters`.
 *
 * @example
 * ```ts
 * const tree = buildMerkleTree(["address", "uint256"], [
 *   ["0x1111111111111111111111111111111111111111", 5000000000000000000n],
 *   ["0x2222222222222222222222222222222222222222", "2500000000000000000"],
 * ]);
 * tree.root; // same as StandardMerkleTree.of(values, types).root
 * tree.getProof(1);
 * ```
 */
export function buildMerkleTree<value extends LeafValue>(
  ...[types, values]: BuildMerkleTreeParameters<value>
): BuildMerkleTreeReturnType<value> {
  const encoder = compileLeafEncoder(types);
  const input: unknown = values;
  if (!Array.isArray(input) || input.length === 0) {
    throw new InvalidInputError(
      "values",
      `expected a non-empty array of leaves, got ${describe(values)}`,
    );
  }
  const count = values.length;
  const build = getHashEngine().startTree(count, encoder.staticSize);
  if (encoder.wordTypes) {
    const stride = encoder.staticSize;
    const { batch, batchLeaves } = build;
    for (let start = 0; start < count; start += batchLeaves) {
      const end = Math.min(count, start + batchLeaves);
      for (let i = start; i < end; i++) {
        encoder.encodeInto(values[i], `values[${i}]`, batch, (i - start) * stride);
      }
      build.hashBatch(start, end - start);
    }
  } else {
    for (let i = 0; i < count; i++)
      build.hashEncoding(i, encoder.encode(values[i], `values[${i}]`));
  }
  const { nodes, treeIndexOfValue } = build.finish();
  return new MerkleTree(encoder.types, nodes, treeIndexOfValue, (i) => defined(values[i]));
}
