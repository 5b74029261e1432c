import { hashSortedPairInto, keccak256Into } from "../keccak256Into.ts";

/**
 * The bulk hashing a tree build needs. Kept behind one interface so the
 * implementation (pure-JS keccak here, WebAssembly where available) is chosen
 * in one place by measurement.
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
   * Fills nodes 0..n-2 of a tree in OZ array layout whose n leaves already sit
   * in nodes n-1..2n-2: node i = sortedPairHash(node 2i+1, node 2i+2).
   */
  buildInternalNodes(nodes: Uint8Array, leafCount: number): void;
}

const scratch = new Uint8Array(32);

/** The pure-JS engine: no setup, runs anywhere. */
export const jsHashEngine: HashEngine = {
  name: "js-keccak",
  hashLeafEncodings(packed, stride, count, out, outOffset) {
    for (let i = 0; i < count; i++) {
      keccak256Into(packed, i * stride, stride, scratch, 0);
      keccak256Into(scratch, 0, 32, out, outOffset + 32 * i);
    }
  },
  buildInternalNodes(nodes, leafCount) {
    for (let i = leafCount - 2; i >= 0; i--) {
      hashSortedPairInto(nodes, 32 * (2 * i + 1), 32 * (2 * i + 2), nodes, 32 * i);
    }
  },
};
