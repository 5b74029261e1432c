/** A 0x-prefixed hex string. Hashes produced here are lowercase, 32 bytes. */
export type Hex = `0x${string}`;

/**
 * One leaf's ABI types, as `StandardMerkleTree.of(values, types)` takes them:
 * Solidity type strings such as `"bytes32"`, `"uint64"`, `"address"`, `"string"`,
 * `"uint256[]"` or `"(uint8,bool)"`.
 */
export type LeafEncoding = readonly string[];

/** One leaf's values, one per type, in the shape `@openzeppelin/merkle-tree` accepts. */
export type LeafValue = readonly unknown[];

/**
 * A multiproof in the shape of `StandardMerkleTree.getMultiProof` (so OZ's
 * `StandardMerkleTree.verifyMultiProof(root, types, multiProof)` accepts it as
 * is), plus the leaf hashes that `MerkleProof.multiProofVerify` takes on chain
 * and `verifyMerkleMultiProof` checks. `leaves[k]` hashes to `leafHashes[k]`;
 * both are in the order the proof consumes them (tree index descending).
 */
export interface MerkleMultiProof<value extends LeafValue = LeafValue> {
  leaves: value[];
  leafHashes: Hex[];
  proof: Hex[];
  proofFlags: boolean[];
}

/** What `verifyMerkleMultiProof` needs: a multiproof over leaf hashes. */
export interface MerkleMultiProofOfHashes {
  leafHashes: readonly Hex[];
  proof: readonly Hex[];
  proofFlags: readonly boolean[];
}

/**
 * `@openzeppelin/merkle-tree`'s `standard-v1` dump: every node in array layout
 * (`tree[0]` is the root, children of i at 2i+1 and 2i+2) and each value with
 * the tree index of its leaf. JSON-safe: bigints are written as decimal strings
 * and byte arrays as hex, both of which OZ's `StandardMerkleTree.load` accepts.
 */
export interface StandardMerkleTreeDump {
  format: "standard-v1";
  leafEncoding: string[];
  tree: Hex[];
  values: { value: unknown[]; treeIndex: number }[];
}
