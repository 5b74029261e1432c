import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InvalidInputError } from "../errors/index.ts";
import { hexOf } from "../merkle/testing.ts";
import { buildReadingTree } from "./buildReadingTree.ts";
import {
  buildReadingTreeFromColumns,
  type ReadingLeafColumns,
} from "./buildReadingTreeFromColumns.ts";
import type { ReadingLeaf } from "./readingLeaf.ts";
import { readingLeafToValues } from "./readingLeafToValues.ts";

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const readingLeaf: fc.Arbitrary<ReadingLeaf> = fc.record({
  salt: hexOf(32),
  deviceId: hexOf(32),
  channel: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  sequence: u64,
  timestampMs: u64,
  energyImportedMilliWattHours: u64,
  energyExportedMilliWattHours: u64,
  quality: fc.constantFrom(0 as const, 1 as const, 2 as const),
  detailsHash: hexOf(32),
});

function toColumns(leaves: readonly ReadingLeaf[]): ReadingLeafColumns {
  const bytes32 = (pick: (l: ReadingLeaf) => string): Uint8Array =>
    new Uint8Array(Buffer.concat(leaves.map((l) => Buffer.from(pick(l).slice(2), "hex"))));
  return {
    salts: bytes32((l) => l.salt),
    deviceIds: bytes32((l) => l.deviceId),
    channels: Uint32Array.from(leaves, (l) => l.channel),
    sequences: BigUint64Array.from(leaves, (l) => l.sequence),
    timestampsMs: BigUint64Array.from(leaves, (l) => l.timestampMs),
    energyImportedMilliWattHours: BigUint64Array.from(
      leaves,
      (l) => l.energyImportedMilliWattHours,
    ),
    energyExportedMilliWattHours: BigUint64Array.from(
      leaves,
      (l) => l.energyExportedMilliWattHours,
    ),
    qualities: Uint8Array.from(leaves, (l) => l.quality),
    detailsHashes: bytes32((l) => l.detailsHash),
  };
}

describe("buildReadingTreeFromColumns", () => {
  it("builds the same tree, proofs and values as buildReadingTree over the same leaves", () => {
    fc.assert(
      fc.property(
        fc.array(readingLeaf, { minLength: 1, maxLength: 3000 }),
        fc.nat(),
        (leaves, seed) => {
          const ours = buildReadingTreeFromColumns(toColumns(leaves));
          const objects = buildReadingTree(leaves);
          assert.deepEqual(ours.nodes, objects.nodes);
          const i = seed % leaves.length;
          assert.deepEqual(ours.getProof(i), objects.getProof(i));
          const leaf = leaves[i];
          assert.ok(leaf);
          assert.deepEqual(ours.getValue(i), readingLeafToValues(leaf));
          assert.deepEqual(ours.dump(), objects.dump());
        },
      ),
      { numRuns: 15 },
    );
  });

  it("names the column of bad input", () => {
    const leaves = fc.sample(readingLeaf, { numRuns: 3, seed: 2 });
    const cases: [Partial<Record<keyof ReadingLeafColumns, unknown>>, string, RegExp][] = [
      [{ qualities: new Uint8Array([0, 3, 0]) }, "columns.qualities[1]", /not a ReadingQuality/],
      [{ salts: new Uint8Array(95) }, "columns.salts", /expected 96 entries/],
      [{ sequences: new BigInt64Array(3) }, "columns.sequences", /expected a BigUint64Array/],
      [{ channels: new Uint32Array(0) }, "columns", /at least one/],
    ];
    for (const [patch, path, message] of cases) {
      const columns = { ...toColumns(leaves), ...patch } as ReadingLeafColumns;
      assert.throws(
        () => buildReadingTreeFromColumns(columns),
        (error: unknown) => {
          assert.ok(error instanceof InvalidInputError);
          assert.equal(error.path, path);
          assert.match(error.message, message);
          return true;
        },
      );
    }
  });
});
