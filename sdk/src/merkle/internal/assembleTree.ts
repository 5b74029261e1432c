import { MerkleTree } from "../MerkleTree.ts";
import type { LeafEncoding, LeafValue } from "../types.ts";
import { getHashEngine } from "./getHashEngine.ts";
import { sortLeafOrder } from "./sortLeafOrder.ts";
import { defined } from "./defined.ts";

/**
 * The tree `StandardMerkleTree.of` builds from these leaf hashes: sorted
 * ascending, leaf k of the sorted list at node 2n-2-k, internal nodes hashed
 * from the bottom up.
 */
export function assembleTree<value extends LeafValue>(
  leafEncoding: LeafEncoding,
  leafHashes: Uint8Array,
  count: number,
  valueAt: (index: number) => value,
): MerkleTree<value> {
  const order = sortLeafOrder(leafHashes, count);
  const nodes = new Uint8Array(32 * (2 * count - 1));
  const treeIndexOfValue = new Uint32Array(count);
  const last = 2 * count - 2;
  for (let k = 0; k < count; k++) {
    const valueIndex = defined(order[k]);
    const t = last - k;
    treeIndexOfValue[valueIndex] = t;
    nodes.set(leafHashes.subarray(32 * valueIndex, 32 * valueIndex + 32), 32 * t);
  }
  getHashEngine().buildInternalNodes(nodes, count);
  return new MerkleTree(leafEncoding, nodes, treeIndexOfValue, valueAt);
}
