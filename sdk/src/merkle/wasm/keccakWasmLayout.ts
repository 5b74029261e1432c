/**
 * Fixed byte offsets in the keccak module's memory (see assembleKeccakWasm.ts).
 * Shared by the assembler and the engine so the two cannot disagree; the
 * engine owns everything from `heapStart` on.
 */
export const KECCAK_WASM_LAYOUT = {
  roundConstants: 0,
  state: 256,
  padBlock: 512,
  pair: 768,
  leafDigest: 1024,
  heapStart: 4096,
} as const;
