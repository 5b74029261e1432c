import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { InvalidInputError } from "../errors/index.ts";
import { buildMerkleTree } from "./buildMerkleTree.ts";
import { hashMerkleLeaf } from "./hashMerkleLeaf.ts";
import { hexOf, treeSize } from "./testing.ts";
import { verifyMerkleMultiProof } from "./verifyMerkleMultiProof.ts";
import { verifyMerkleProof } from "./verifyMerkleProof.ts";

/** Each generic-path type with an arbitrary of the values OZ accepts for it. */
const TYPE_POOL: Record<string, fc.Arbitrary<unknown>> = {
  address: hexOf(20),
  bool: fc.boolean(),
  uint256: fc.oneof(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.nat().map(String)),
  uint8: fc.integer({ min: 0, max: 255 }),
  uint64: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  int64: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }),
  int256: fc.bigInt({ min: -(1n << 255n), max: (1n << 255n) - 1n }),
  bytes32: hexOf(32),
  bytes4: hexOf(4),
  bytes: fc.uint8Array({ maxLength: 70 }).map((b) => `0x${Buffer.from(b).toString("hex")}`),
  string: fc.string({ maxLength: 40 }),
};

const treeInput = fc
  .tuple(
    fc.array(fc.constantFrom(...Object.keys(TYPE_POOL)), { minLength: 1, maxLength: 4 }),
    treeSize(),
  )
  .chain(([types, size]) =>
    fc.record({
      types: fc.constant(types),
      values: fc.array(fc.tuple(...types.map((t) => TYPE_POOL[t] ?? fc.constant(null))), {
        minLength: size,
        maxLength: size,
      }),
      seed: fc.nat(),
    }),
  );

/** Asserts our tree equals OZ's node for node, so every proof is OZ's too. */
function assertSameAsOz(types: string[], values: unknown[][], seed: number): void {
  const ours = buildMerkleTree(types, values);
  const oz = StandardMerkleTree.of(values, types);
  assert.equal(ours.root, oz.root);
  const ozDump = oz.dump();
  assert.deepEqual(ours.dump().tree, ozDump.tree);
  for (let i = 0; i < values.length; i++) {
    assert.equal(ours.treeIndexOf(i), ozDump.values[i]?.treeIndex);
  }
  // Proofs: all of them against OZ's proof for small trees, a sample for big ones.
  const step = Math.max(1, Math.floor(values.length / 25));
  for (let i = seed % step; i < values.length; i += step) {
    const proof = ours.getProof(i);
    assert.deepEqual(proof, oz.getProof(i));
    assert.ok(verifyMerkleProof(ours.root, ours.getLeafHash(i), proof));
  }
  // A multiproof over a seeded subset.
  const indices = values.map((_, i) => i).filter((i) => (i * 7 + seed) % 3 === 0);
  const multi = ours.getMultiProof(indices);
  const ozMulti = oz.getMultiProof(indices);
  assert.deepEqual(multi.proof, ozMulti.proof);
  assert.deepEqual(multi.proofFlags, ozMulti.proofFlags);
  // Compared by hash: with duplicate leaves OZ reports the last value of that
  // hash (e.g. "0" for 0n), we the value actually at that position.
  assert.deepEqual(
    multi.leaves.map((v) => hashMerkleLeaf(types, v)),
    ozMulti.leaves.map((v) => oz.leafHash(v)),
  );
  assert.ok(verifyMerkleMultiProof(ours.root, multi));
  assert.ok(StandardMerkleTree.verifyMultiProof(oz.root, types, multi));
}

describe("buildMerkleTree", () => {
  it("builds OZ's tree, proofs and multiproofs for random leaf types and values", () => {
    fc.assert(
      fc.property(treeInput, ({ types, values, seed }) => {
        assertSameAsOz(types, values, seed);
      }),
      { numRuns: 25 },
    );
  });

  it("builds OZ's tree for composite types (arrays, tuples) via the viem path", () => {
    const types = ["uint8[]", "(address,bool)", "bytes32[2]", "string"];
    const values = [
      [
        [1, 2, 3],
        ["0x00000000000000000000000000000000000000aa", true],
        ["0x" + "11".repeat(32), "0x" + "22".repeat(32)],
        "a",
      ],
      [
        [],
        ["0x00000000000000000000000000000000000000bb", "false"],
        ["0x" + "33".repeat(32), "0x" + "44".repeat(32)],
        "",
      ],
      [
        [255],
        ["0x00000000000000000000000000000000000000cc", false],
        ["0x" + "55".repeat(32), "0x" + "66".repeat(32)],
        "ü",
      ],
    ];
    assertSameAsOz(types, values, 1);
  });

  it("rejects a proof for a changed leaf", () => {
    fc.assert(
      fc.property(treeInput, fc.nat(), ({ types, values }, pick) => {
        const tree = buildMerkleTree(types, values);
        const i = pick % values.length;
        const original = values[i];
        assert.ok(original);
        const changed = [...original];
        // Change the first field to another valid value of its type.
        changed[0] = fc.sample(TYPE_POOL[types[0] ?? ""] ?? fc.constant(null), {
          numRuns: 1,
          seed: pick,
        })[0];
        const proof = tree.getProof(i);
        fc.pre(hashMerkleLeaf(types, changed) !== hashMerkleLeaf(types, original));
        assert.equal(verifyMerkleProof(tree.root, hashMerkleLeaf(types, changed), proof), false);
        assert.equal(verifyMerkleProof(tree.root, hashMerkleLeaf(types, original), proof), true);
      }),
      { numRuns: 30 },
    );
  });

  it("keeps equal leaves in input order, as OZ's stable sort does", () => {
    const values = [[5n], [1n], [5n], [5n], [2n]];
    assertSameAsOz(["uint256"], values, 0);
  });

  describe("when input is bad", () => {
    const expectInvalid = (run: () => unknown, path: string, message: RegExp): void => {
      assert.throws(run, (error: unknown) => {
        assert.ok(error instanceof InvalidInputError);
        assert.equal(error.path, path);
        assert.match(error.shortMessage, message);
        return true;
      });
    };
    it("names the row and field of a value that does not fit its type", () => {
      expectInvalid(
        () =>
          buildMerkleTree(
            ["bytes32", "uint8"],
            [
              ["0x" + "00".repeat(32), 1],
              ["0x" + "00".repeat(32), 2],
              ["0x" + "00".repeat(32), 3],
              ["0x" + "00".repeat(32), 300],
            ],
          ),
        "values[3][1]",
        /^values\[3\]\[1\]: 300 does not fit uint8$/,
      );
      expectInvalid(
        () => buildMerkleTree(["int8"], [[-129]]),
        "values[0][0]",
        /-129 does not fit int8/,
      );
      expectInvalid(
        () => buildMerkleTree(["uint64"], [[-1n]]),
        "values[0][0]",
        /does not fit uint64/,
      );
      expectInvalid(
        () => buildMerkleTree(["bytes32"], [["0x1234"]]),
        "values[0][0]",
        /does not fit bytes32/,
      );
      expectInvalid(() => buildMerkleTree(["address"], [["0xzz"]]), "values[0][0]", /address/);
      expectInvalid(() => buildMerkleTree(["bool"], [[1]]), "values[0][0]", /expected a boolean/);
      expectInvalid(
        () => buildMerkleTree(["string", "uint8"], [["a", 256]]),
        "values[0][1]",
        /256 does not fit uint8/,
      );
    });
    it("names a missing field", () => {
      expectInvalid(
        () =>
          buildMerkleTree(
            ["uint8", "bool"],
            [
              [1, true],
              [2, undefined],
            ],
          ),
        "values[1][1]",
        /missing/,
      );
    });
    it("names the row with the wrong number of values", () => {
      expectInvalid(
        () => buildMerkleTree(["uint8", "bool"], [[1, true], [2]]),
        "values[1]",
        /expected 2 values \(one per type\), got 1/,
      );
    });
    it("names an unknown type and rejects an empty tree", () => {
      expectInvalid(
        () => buildMerkleTree(["uint8", "uint7"], [[1, 1]]),
        "types[1]",
        /unknown ABI type "uint7"/,
      );
      expectInvalid(() => buildMerkleTree(["uint8"], []), "values", /non-empty/);
    });
    it("rejects bad proof indices", () => {
      const tree = buildMerkleTree(["uint8"], [[1], [2], [3]]);
      expectInvalid(() => tree.getProof(3), "index", /not a value index/);
      expectInvalid(() => tree.getMultiProof([0, 0]), "indices", /same value twice/);
    });
  });
});
