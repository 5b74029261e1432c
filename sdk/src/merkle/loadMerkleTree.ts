import { z } from "zod";
import { InvalidInputError } from "../errors/index.ts";
import { MerkleTree } from "./MerkleTree.ts";
import { UnsupportedMerkleFormatError } from "./errors.ts";
import { hashSortedPairInto } from "./keccak256Into.ts";
import { getHashEngine } from "./internal/getHashEngine.ts";
import { decodeHexInto, describe } from "./internal/hex.ts";
import { compileLeafEncoder } from "./internal/leafEncoder.ts";
import type { LeafValue, StandardMerkleTreeDump } from "./types.ts";
import { defined } from "./internal/defined.ts";

export type LoadMerkleTreeParameters = [dump: unknown];
export type LoadMerkleTreeReturnType = MerkleTree;
export type LoadMerkleTreeErrorType = UnsupportedMerkleFormatError | InvalidInputError;

const dumpSchema = z.object({
  format: z.string(),
  leafEncoding: z.array(z.string()).min(1),
  tree: z.array(z.string()).min(1),
  values: z
    .array(z.object({ value: z.array(z.unknown()), treeIndex: z.number().int().nonnegative() }))
    .min(1),
});

/**
 * Reads a tree saved in `@openzeppelin/merkle-tree`'s `standard-v1` dump format
 * (by `MerkleTree.dump()` or OZ's `StandardMerkleTree.dump()`), checking it the
 * way OZ's `load` does: the format tag, every value hashing to its leaf, every
 * internal node hashing from its children. Leaves need not be sorted (OZ's
 * `sortLeaves: false` trees load too).
 *
 * @example
 * ```ts
 * const tree = loadMerkleTree(JSON.parse(await readFile("tree.json", "utf8")));
 * tree.getProof(0);
 * ```
 */
export function loadMerkleTree(...[dump]: LoadMerkleTreeParameters): LoadMerkleTreeReturnType {
  if (typeof dump !== "object" || dump === null) {
    throw new InvalidInputError(
      "dump",
      `expected a standard-v1 tree object, got ${describe(dump)}`,
    );
  }
  if (!("format" in dump) || dump.format !== "standard-v1") {
    throw new UnsupportedMerkleFormatError("format" in dump ? dump.format : undefined);
  }
  const parsed = dumpSchema.safeParse(dump);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? [])
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("");
    throw new InvalidInputError(
      path.replace(/^\./, "") || "dump",
      issue?.message ?? "invalid dump",
      {
        cause: parsed.error,
      },
    );
  }
  const data: StandardMerkleTreeDump = parsed.data as StandardMerkleTreeDump;
  const encoder = compileLeafEncoder(data.leafEncoding, "leafEncoding");
  const count = data.values.length;
  const nodeCount = 2 * count - 1;
  if (data.tree.length !== nodeCount) {
    throw new InvalidInputError(
      "tree",
      `${count} values need ${nodeCount} nodes, got ${data.tree.length}`,
    );
  }
  const nodes = new Uint8Array(32 * nodeCount);
  for (let t = 0; t < nodeCount; t++) {
    const node = defined(data.tree[t]);
    if (!decodeHexInto(node, 32, nodes, 32 * t)) {
      throw new InvalidInputError(
        `tree[${t}]`,
        `expected a 32-byte 0x-hex hash, got ${describe(node)}`,
      );
    }
  }
  const treeIndexOfValue = new Uint32Array(count);
  const taken = new Uint8Array(nodeCount);
  const leafHash = new Uint8Array(32);
  const engine = getHashEngine();
  for (let i = 0; i < count; i++) {
    const { value, treeIndex } = defined(data.values[i]);
    if (treeIndex < count - 1 || treeIndex >= nodeCount || taken[treeIndex] === 1) {
      throw new InvalidInputError(
        `values[${i}].treeIndex`,
        `${treeIndex} is not a free leaf slot (leaves are nodes ${count - 1}..${nodeCount - 1})`,
      );
    }
    taken[treeIndex] = 1;
    treeIndexOfValue[i] = treeIndex;
    const encoded = encoder.encode(value, `values[${i}].value`);
    engine.hashLeafEncodings(encoded, encoded.length, 1, leafHash, 0);
    if (!sameHash(leafHash, 0, nodes, 32 * treeIndex)) {
      throw new InvalidInputError(`values[${i}].value`, `does not hash to tree[${treeIndex}]`);
    }
  }
  const computed = new Uint8Array(32);
  for (let t = count - 2; t >= 0; t--) {
    hashSortedPairInto(nodes, 32 * (2 * t + 1), 32 * (2 * t + 2), computed, 0);
    if (!sameHash(computed, 0, nodes, 32 * t)) {
      throw new InvalidInputError(`tree[${t}]`, "is not the hash of its two children");
    }
  }
  const values = data.values;
  return new MerkleTree<LeafValue>(
    encoder.types,
    nodes,
    treeIndexOfValue,
    (i) => defined(values[i]).value,
  );
}

function sameHash(a: Uint8Array, ao: number, b: Uint8Array, bo: number): boolean {
  for (let i = 0; i < 32; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}
