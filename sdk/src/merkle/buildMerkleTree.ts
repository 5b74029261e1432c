import { InvalidInputError } from "../errors/index.ts";
import type { MerkleTree } from "./MerkleTree.ts";
import { assembleTree } from "./internal/assembleTree.ts";
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

// Leaves packed per batch on the fast path: big enough to amortise the call
// into the hash engine, small enough that the buffer stays in cache.
const BATCH_LEAVES = 2048;

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
  const leafHashes = new Uint8Array(32 * count);
  const engine = getHashEngine();
  if (encoder.wordTypes) {
    const stride = encoder.staticSize;
    const batch = new Uint8Array(stride * Math.min(count, BATCH_LEAVES));
    for (let start = 0; start < count; start += BATCH_LEAVES) {
      const end = Math.min(count, start + BATCH_LEAVES);
      for (let i = start; i < end; i++) {
        encoder.encodeInto(values[i], `values[${i}]`, batch, (i - start) * stride);
      }
      engine.hashLeafEncodings(batch, stride, end - start, leafHashes, 32 * start);
    }
  } else {
    for (let i = 0; i < count; i++) {
      const encoded = encoder.encode(values[i], `values[${i}]`);
      engine.hashLeafEncodings(encoded, encoded.length, 1, leafHashes, 32 * i);
    }
  }
  return assembleTree(encoder.types, leafHashes, count, (i) => defined(values[i]));
}
