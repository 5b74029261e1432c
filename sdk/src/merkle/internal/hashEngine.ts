import { hashSortedPairInto, keccak256Into } from "../keccak256Into.ts";
import { defined } from "./defined.ts";
import { sortLeafOrder } from "./sortLeafOrder.ts";

/**
 * The bulk hashing a tree build needs. Kept behind one interface so the
 * implementation (WebAssembly where it instantiates, pure-JS keccak otherwise)
 * is chosen in one place (getHashEngine) and both are tested against each other.
 */
export interface HashEngine {
  readonly name: string;
  /**
   * For i < count: out[outOffset + 32i] = keccak256(keccak256(packed[i * stride, (i + 1) * stride))),
   * the standard leaf hash of each ABI-encoded leaf.
   */
  hashLeafEncodings(
    packed: Uint8Array,
    stride: number,
    count: number,
    out: Uint8Array,
    outOffset: number,
  ): void;
  /**
   * Starts building the tree over `count` leaves packed `stride` bytes each
   * (stride 0 when every leaf goes through `hashEncoding`).
   */
  startTree(count: number, stride: number): TreeBuild;
}

/** One tree build in progress; leaves are packed and hashed in batches. */
export interface TreeBuild {
  /**
   * Room for `batchLeaves` packed leaves of `stride` bytes. Zeroed once at the
   * start and never cleared by the engine, so a packer may write only the
   * bytes that vary and leave the ABI zero padding as it is.
   */
  readonly batch: Uint8Array;
  readonly batchLeaves: number;
  /** Hashes the first `count` packed leaves of `batch` as leaves start..start+count-1. */
  hashBatch(start: number, count: number): void;
  /** Hashes one ABI encoding (any length) as leaf `index`. */
  hashEncoding(index: number, encoded: Uint8Array): void;
  /**
   * Sorts the leaf hashes and hashes the internal nodes, as
   * `StandardMerkleTree.of` does: leaf k of the ascending order at node 2n-2-k.
   */
  finish(): BuiltTree;
}

export interface BuiltTree {
  /** 2n-1 nodes of 32 bytes, OZ array layout. */
  nodes: Uint8Array;
  /** Node index of each input leaf. */
  treeIndexOfValue: Uint32Array;
}

/** Leaves per packing batch: amortises each engine call, small enough to stay in cache. */
export const BATCH_LEAVES = 2048;

/** Node index of each input leaf, from the ascending order of leaf hashes. */
export function treeIndicesFromOrder(order: Uint32Array, count: number): Uint32Array {
  const treeIndexOfValue = new Uint32Array(count);
  const last = 2 * count - 2;
  for (let k = 0; k < count; k++) treeIndexOfValue[defined(order[k])] = last - k;
  return treeIndexOfValue;
}

const scratch = new Uint8Array(32);

function jsHashLeafEncodings(
  packed: Uint8Array,
  stride: number,
  count: number,
  out: Uint8Array,
  outOffset: number,
): void {
  for (let i = 0; i < count; i++) {
    keccak256Into(packed, i * stride, stride, scratch, 0);
    keccak256Into(scratch, 0, 32, out, outOffset + 32 * i);
  }
}

/** The pure-JS engine: no setup, runs anywhere (the fallback where wasm cannot compile synchronously). */
export const jsHashEngine: HashEngine = {
  name: "js-keccak",
  hashLeafEncodings: jsHashLeafEncodings,
  startTree(count, stride) {
    const leafHashes = new Uint8Array(32 * count);
    const batchLeaves = Math.min(count, BATCH_LEAVES);
    return {
      batch: new Uint8Array(stride * batchLeaves),
      batchLeaves,
      hashBatch(start, n) {
        jsHashLeafEncodings(this.batch, stride, n, leafHashes, 32 * start);
      },
      hashEncoding(index, encoded) {
        jsHashLeafEncodings(encoded, encoded.length, 1, leafHashes, 32 * index);
      },
      finish() {
        const order = sortLeafOrder(leafHashes, count);
        const nodes = new Uint8Array(32 * (2 * count - 1));
        const last = 2 * count - 2;
        for (let k = 0; k < count; k++) {
          const v = defined(order[k]);
          nodes.set(leafHashes.subarray(32 * v, 32 * v + 32), 32 * (last - k));
        }
        for (let i = count - 2; i >= 0; i--) {
          hashSortedPairInto(nodes, 32 * (2 * i + 1), 32 * (2 * i + 2), nodes, 32 * i);
        }
        return { nodes, treeIndexOfValue: treeIndicesFromOrder(order, count) };
      },
    };
  },
};
