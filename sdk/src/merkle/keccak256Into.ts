/* eslint-disable @typescript-eslint/no-non-null-assertion -- byte-level hot loop: every typed-array index is bounded by the loop, and a `?? 0` or check per byte costs measurable throughput. */
import { keccakF1600 } from "./generated/keccakF1600.ts";

/** Keccak-256 absorbs 136 bytes (34 words) per permutation. */
const RATE_BYTES = 136;

// One sponge state shared by every call: hashing is synchronous and never
// re-entrant, so reuse is safe and saves an allocation per hash.
const state = new Int32Array(50);

function readWordLE(bytes: Uint8Array, offset: number): number {
  return (
    bytes[offset]! |
    (bytes[offset + 1]! << 8) |
    (bytes[offset + 2]! << 16) |
    (bytes[offset + 3]! << 24)
  );
}

function writeDigest(output: Uint8Array, outputOffset: number): void {
  for (let w = 0; w < 8; w++) {
    const word = state[w]!;
    const o = outputOffset + 4 * w;
    output[o] = word;
    output[o + 1] = word >>> 8;
    output[o + 2] = word >>> 16;
    output[o + 3] = word >>> 24;
  }
}

/**
 * Keccak-256 (Ethereum's, not SHA3-256) of `input[inputOffset, inputOffset + length)`,
 * written to `output[outputOffset, outputOffset + 32)` without allocating.
 * Input and output may overlap: the input is fully absorbed before the digest
 * is written.
 *
 * Why this and not a library (measured by `npm run bench -- merkle`, 64-byte
 * inputs, this repo's 2-core CI box): about 3-4x `@noble/hashes` keccak_256,
 * which allocates a hasher and output per call; `hash-wasm`'s reused
 * createKeccak is faster per hash, but only loads asynchronously and copies
 * every input across the wasm boundary. Tree builds do not use this function
 * where WebAssembly compiles synchronously: the wasm HashEngine
 * (internal/wasmHashEngine.ts) hashes whole batches inside wasm, ~5x this per
 * leaf. This stays as the fallback engine and for single proofs.
 *
 * @example
 * ```ts
 * const out = new Uint8Array(32);
 * keccak256Into(new Uint8Array(0), 0, 0, out, 0);
 * // out = c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470
 * ```
 */
export function keccak256Into(
  input: Uint8Array,
  inputOffset: number,
  length: number,
  output: Uint8Array,
  outputOffset: number,
): void {
  state.fill(0);
  let p = inputOffset;
  const end = inputOffset + length;
  while (end - p >= RATE_BYTES) {
    for (let w = 0; w < 34; w++) state[w]! ^= readWordLE(input, p + 4 * w);
    keccakF1600(state);
    p += RATE_BYTES;
  }
  const tail = end - p;
  let w = 0;
  for (; 4 * w + 4 <= tail; w++) state[w]! ^= readWordLE(input, p + 4 * w);
  for (let j = 4 * w; j < tail; j++) state[j >>> 2]! ^= input[p + j]! << ((j & 3) << 3);
  // Keccak padding (pad10*1 with the 0x01 domain byte, unlike SHA3's 0x06).
  state[tail >>> 2]! ^= 1 << ((tail & 3) << 3);
  state[33]! ^= 0x80000000 | 0;
  keccakF1600(state);
  writeDigest(output, outputOffset);
}

/**
 * The node hash of OpenZeppelin's standard Merkle tree: keccak256 of the two
 * 32-byte children concatenated smaller-first (so proofs need no left/right
 * flags). Reads `nodes[a, a + 32)` and `nodes[b, b + 32)`, writes `out[o, o + 32)`.
 *
 * @example
 * ```ts
 * hashSortedPairInto(nodes, 32, 64, nodes, 0); // parent at 0 of children at 1, 2
 * ```
 */
export function hashSortedPairInto(
  nodes: Uint8Array,
  a: number,
  b: number,
  out: Uint8Array,
  o: number,
): void {
  let first = a;
  let second = b;
  for (let i = 0; i < 32; i++) {
    const x = nodes[a + i]!;
    const y = nodes[b + i]!;
    if (x !== y) {
      if (x > y) {
        first = b;
        second = a;
      }
      break;
    }
  }
  // 64 bytes fit in one block: write words straight into a fresh state.
  for (let w = 0; w < 8; w++) {
    state[w] = readWordLE(nodes, first + 4 * w);
    state[w + 8] = readWordLE(nodes, second + 4 * w);
  }
  state[16] = 1;
  state.fill(0, 17, 50);
  state[33] = 0x80000000 | 0;
  keccakF1600(state);
  writeDigest(out, o);
}
