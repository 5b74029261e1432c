import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { InvalidInputError } from "../errors/index.ts";
import { hexOf, treeSize } from "../merkle/testing.ts";
import { verifyMerkleMultiProof } from "../merkle/verifyMerkleMultiProof.ts";
import { verifyMerkleProof } from "../merkle/verifyMerkleProof.ts";
import { buildReadingTree } from "./buildReadingTree.ts";
import { hashReadingLeaf } from "./hashReadingLeaf.ts";
import { READING_LEAF_TYPES, type ReadingLeaf } from "./readingLeaf.ts";
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
const leavesArb = treeSize().chain((n) => fc.array(readingLeaf, { minLength: n, maxLength: n }));
const types = [...READING_LEAF_TYPES];

describe("buildReadingTree", () => {
  it("builds OZ's StandardMerkleTree over READING_LEAF_TYPES, with its proofs", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (leaves, seed) => {
        const tree = buildReadingTree(leaves);
        const oz = StandardMerkleTree.of(
          leaves.map((l) => [...readingLeafToValues(l)]),
          types,
        );
        assert.equal(tree.root, oz.root);
        assert.deepEqual(tree.dump().tree, oz.dump().tree);
        const i = seed % leaves.length;
        const leaf = leaves[i];
        assert.ok(leaf);
        assert.equal(hashReadingLeaf(leaf), oz.leafHash(oz.at(i) ?? []));
        assert.deepEqual(tree.getProof(i), oz.getProof(i));
        assert.ok(
          StandardMerkleTree.verify(
            oz.root,
            types,
            [...readingLeafToValues(leaf)],
            tree.getProof(i),
          ),
        );
        const indices = leaves.map((_, k) => k).filter((k) => (k + seed) % 4 === 0);
        const multi = tree.getMultiProof(indices);
        assert.deepEqual(multi.proof, oz.getMultiProof(indices).proof);
        assert.ok(verifyMerkleMultiProof(tree.root, multi));
        // A changed reading no longer proves.
        const changed = {
          ...leaf,
          energyImportedMilliWattHours: leaf.energyImportedMilliWattHours ^ 1n,
        };
        assert.equal(
          verifyMerkleProof(tree.root, hashReadingLeaf(changed), tree.getProof(i)),
          false,
        );
      }),
      { numRuns: 12 },
    );
  });

  it("names the leaf and field of bad input", () => {
    const [good] = fc.sample(readingLeaf, { numRuns: 1, seed: 1 });
    assert.ok(good);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ channel: 2 ** 32 }, "leaves[1].channel", /4294967296 does not fit uint32/],
      [{ sequence: 1n << 64n }, "leaves[1].sequence", /does not fit uint64/],
      [{ quality: 3 }, "leaves[1].quality", /not a ReadingQuality/],
      [{ salt: "0x1234" }, "leaves[1].salt", /does not fit bytes32/],
      [{ timestampMs: undefined }, "leaves[1].timestampMs", /missing/],
    ];
    for (const [patch, path, message] of cases) {
      const bad = { ...good, ...patch };
      assert.throws(
        () => buildReadingTree([good, bad]),
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
