import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidInputError } from "../errors/index.ts";
import { buildMerkleTree } from "./buildMerkleTree.ts";
import { verifyMerkleMultiProof } from "./verifyMerkleMultiProof.ts";
import { verifyMerkleProof } from "./verifyMerkleProof.ts";

const tree = buildMerkleTree(
  ["uint64"],
  Array.from({ length: 13 }, (_, i) => [BigInt(i)]),
);

describe("verifyMerkleMultiProof", () => {
  it("accepts OZ-shaped multiproofs of any subset, including none and all", () => {
    for (const indices of [
      [],
      [0],
      [12],
      [3, 4, 5],
      [0, 2, 4, 6, 8, 10, 12],
      tree.leafHashes.map((_, i) => i),
    ]) {
      assert.ok(
        verifyMerkleMultiProof(tree.root, tree.getMultiProof(indices)),
        `indices ${indices.join(",")}`,
      );
    }
  });

  it("rejects a changed leaf, proof hash or flag", () => {
    const good = tree.getMultiProof([1, 6, 9]);
    const otherLeaf = tree.getLeafHash(2);
    assert.equal(
      verifyMerkleMultiProof(tree.root, {
        ...good,
        leafHashes: [otherLeaf, ...good.leafHashes.slice(1)],
      }),
      false,
    );
    assert.equal(
      verifyMerkleMultiProof(tree.root, { ...good, proof: [otherLeaf, ...good.proof.slice(1)] }),
      false,
    );
    assert.equal(verifyMerkleMultiProof(tree.leafHashes[0] ?? "0x", good), false);
  });

  it("throws InvalidInputError for lengths that cannot form a multiproof", () => {
    const good = tree.getMultiProof([1, 6, 9]);
    assert.throws(
      () => verifyMerkleMultiProof(tree.root, { ...good, proofFlags: good.proofFlags.slice(1) }),
      InvalidInputError,
    );
    assert.throws(
      () =>
        verifyMerkleMultiProof(tree.root, { ...good, proofFlags: good.proofFlags.map(() => true) }),
      InvalidInputError,
    );
  });
});

describe("verifyMerkleProof", () => {
  it("accepts every leaf's proof and rejects it for another leaf", () => {
    for (let i = 0; i < tree.length; i++) {
      assert.ok(verifyMerkleProof(tree.root, tree.getLeafHash(i), tree.getProof(i)));
      assert.equal(
        verifyMerkleProof(tree.root, tree.getLeafHash((i + 1) % tree.length), tree.getProof(i)),
        false,
      );
    }
  });

  it("names a malformed hash", () => {
    assert.throws(
      () => verifyMerkleProof(tree.root, tree.getLeafHash(0), ["0x1234"]),
      (error: unknown) => {
        assert.ok(error instanceof InvalidInputError);
        assert.equal(error.path, "proof[0]");
        return true;
      },
    );
  });
});
