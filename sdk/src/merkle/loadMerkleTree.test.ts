import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { InvalidInputError } from "../errors/index.ts";
import { buildMerkleTree } from "./buildMerkleTree.ts";
import { UnsupportedMerkleFormatError } from "./errors.ts";
import { loadMerkleTree } from "./loadMerkleTree.ts";

const types = ["address", "uint256"];
const values = Array.from({ length: 9 }, (_, i) => [
  `0x${(i + 1).toString(16).padStart(40, "0")}`,
  BigInt(i) * 10n ** 18n,
]);
const json = (x: unknown): unknown =>
  JSON.parse(JSON.stringify(x, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));

describe("loadMerkleTree", () => {
  it("round-trips our dump, and OZ loads it", () => {
    const tree = buildMerkleTree(types, values);
    const dump = json(tree.dump());
    const loaded = loadMerkleTree(dump);
    assert.equal(loaded.root, tree.root);
    assert.deepEqual(loaded.getProof(4), tree.getProof(4));
    assert.deepEqual(loaded.dump(), dump);
    assert.equal(StandardMerkleTree.load(dump as never).root, tree.root);
  });

  it("loads OZ's dump, including an unsorted (sortLeaves: false) tree", () => {
    for (const sortLeaves of [true, false]) {
      const oz = StandardMerkleTree.of(values, types, { sortLeaves });
      const loaded = loadMerkleTree(json(oz.dump()));
      assert.equal(loaded.root, oz.root);
      for (let i = 0; i < values.length; i++) assert.deepEqual(loaded.getProof(i), oz.getProof(i));
      assert.deepEqual(loaded.getMultiProof([1, 2, 7]).proof, oz.getMultiProof([1, 2, 7]).proof);
    }
  });

  it("rejects another format tag with UnsupportedMerkleFormatError", () => {
    const dump = {
      ...(json(buildMerkleTree(types, values).dump()) as object),
      format: "simple-v1",
    };
    assert.throws(
      () => loadMerkleTree(dump),
      (error: unknown) => {
        assert.ok(error instanceof UnsupportedMerkleFormatError);
        assert.equal(error.path, "format");
        assert.equal(error.format, "simple-v1");
        return true;
      },
    );
    assert.throws(() => loadMerkleTree({}), UnsupportedMerkleFormatError);
  });

  describe("when the dump was tampered with", () => {
    const fresh = () =>
      json(buildMerkleTree(types, values).dump()) as {
        tree: string[];
        values: { value: unknown[]; treeIndex: number }[];
      };
    const expectPath = (dump: unknown, path: string): void => {
      assert.throws(
        () => loadMerkleTree(dump),
        (error: unknown) => {
          assert.ok(error instanceof InvalidInputError);
          assert.equal(error.path, path);
          return true;
        },
      );
    };
    it("names an internal node that is not the hash of its children", () => {
      const dump = fresh();
      dump.tree[2] = `0x${"ab".repeat(32)}`;
      expectPath(dump, "tree[2]");
    });
    it("names a value that does not hash to its leaf", () => {
      const dump = fresh();
      const entry = dump.values[3];
      assert.ok(entry);
      entry.value[1] = "12345";
      expectPath(dump, "values[3].value");
    });
    it("names a tree of the wrong size and a bad treeIndex", () => {
      const short = fresh();
      short.tree.pop();
      expectPath(short, "tree");
      const moved = fresh();
      const entry = moved.values[0];
      assert.ok(entry);
      entry.treeIndex = 0;
      expectPath(moved, "values[0].treeIndex");
    });
    it("names a malformed field", () => {
      const dump = fresh();
      dump.tree[0] = "0x12";
      expectPath(dump, "tree[0]");
      expectPath({ format: "standard-v1", leafEncoding: ["uint8"], tree: [], values: [] }, "tree");
    });
  });
});
