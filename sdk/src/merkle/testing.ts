/** Test helpers shared by the Merkle and reading-tree tests (not exported from the sdk). */
import fc from "fast-check";
import type { Hex } from "./types.ts";

export const hexOf = (length: number): fc.Arbitrary<Hex> =>
  fc
    .uint8Array({ minLength: length, maxLength: length })
    .map((b): Hex => `0x${Buffer.from(b).toString("hex")}`);

/** Tree sizes 1..2,000, mostly small: OZ needs ~1 ms per leaf, so big trees are few. */
export const treeSize = (): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 40 }) },
    { weight: 2, arbitrary: fc.integer({ min: 41, max: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: 301, max: 2000 }) },
  );
