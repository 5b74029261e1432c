import { InvalidInputError } from "../errors/index.ts";
import { toJsonValue } from "./internal/abiValues.ts";
import { bytesToHexAt } from "./internal/hex.ts";
import type {
  Hex,
  LeafEncoding,
  LeafValue,
  MerkleMultiProof,
  StandardMerkleTreeDump,
} from "./types.ts";
import { defined } from "./internal/defined.ts";

/**
 * A built Merkle tree in OpenZeppelin's standard layout: `2n - 1` nodes of 32
 * bytes in one flat array (node 0 the root, children of i at 2i+1 and 2i+2,
 * leaves in the last n slots). Values are addressed by their input index, as
 * in `StandardMerkleTree`; `treeIndexOf(i)` says where value i's leaf sits.
 *
 * Made by `buildMerkleTree`, `buildReadingTree` or `loadMerkleTree`.
 */
export class MerkleTree<value extends LeafValue = LeafValue> {
  /** The ABI types of every leaf. */
  readonly leafEncoding: LeafEncoding;
  /** Number of leaves (values). */
  readonly length: number;
  /** All nodes, 32 bytes each, OZ array layout. Do not modify. */
  readonly nodes: Uint8Array;
  readonly #treeIndexOfValue: Uint32Array;
  readonly #valueAt: (index: number) => value;
  #valueOfLeafSlot: Uint32Array | undefined;
  #leafHashes: Hex[] | undefined;

  /** @internal Use buildMerkleTree, buildReadingTree or loadMerkleTree. */
  constructor(
    leafEncoding: LeafEncoding,
    nodes: Uint8Array,
    treeIndexOfValue: Uint32Array,
    valueAt: (index: number) => value,
  ) {
    this.leafEncoding = leafEncoding;
    this.nodes = nodes;
    this.length = treeIndexOfValue.length;
    this.#treeIndexOfValue = treeIndexOfValue;
    this.#valueAt = valueAt;
  }

  /** The root, 0x-hex. */
  get root(): Hex {
    return bytesToHexAt(this.nodes, 0, 32);
  }

  /** Every value's leaf hash, in value (input) order. Built once, on first use. */
  get leafHashes(): readonly Hex[] {
    this.#leafHashes ??= Array.from({ length: this.length }, (_, i) => this.getLeafHash(i));
    return this.#leafHashes;
  }

  /** The value at input index `index`. */
  getValue(index: number): value {
    return this.#valueAt(this.#checkIndex(index, "index"));
  }

  /** Where value `index`'s leaf sits in `nodes` (a node index, not a byte offset). */
  treeIndexOf(index: number): number {
    return defined(this.#treeIndexOfValue[this.#checkIndex(index, "index")]);
  }

  /** The leaf hash of value `index`, keccak256(keccak256(abi.encode(value))). */
  getLeafHash(index: number): Hex {
    return bytesToHexAt(this.nodes, 32 * this.treeIndexOf(index), 32);
  }

  /**
   * The proof of value `index`: sibling hashes from the leaf up, exactly what
   * OZ `MerkleProof.verify(proof, root, leaf)` and `StandardMerkleTree.getProof` use.
   */
  getProof(index: number): Hex[] {
    let t = this.treeIndexOf(index);
    const proof: Hex[] = [];
    while (t > 0) {
      proof.push(bytesToHexAt(this.nodes, 32 * (t % 2 === 1 ? t + 1 : t - 1), 32));
      t = (t - 1) >> 1;
    }
    return proof;
  }

  /**
   * One proof for several values (OZ `getMultiProof` algorithm, so `proof` and
   * `proofFlags` are byte-identical to OZ's). Leaves come out in tree-index
   * descending order, the order `MerkleProof.multiProofVerify` consumes them.
   */
  getMultiProof(indices: readonly number[]): MerkleMultiProof<value> {
    const treeIndices = indices.map((i, k) =>
      defined(this.#treeIndexOfValue[this.#checkIndex(i, `indices[${k}]`)]),
    );
    treeIndices.sort((a, b) => b - a);
    for (let k = 1; k < treeIndices.length; k++) {
      if (treeIndices[k] === treeIndices[k - 1]) {
        throw new InvalidInputError("indices", "cannot prove the same value twice");
      }
    }
    // A queue by head pointer: OZ shifts an array, which is quadratic.
    const queue = treeIndices.slice();
    let head = 0;
    const proof: Hex[] = [];
    const proofFlags: boolean[] = [];
    while (head < queue.length && defined(queue[head]) > 0) {
      const j = defined(queue[head++]);
      const sibling = j % 2 === 1 ? j + 1 : j - 1;
      if (queue[head] === sibling) {
        proofFlags.push(true);
        head++;
      } else {
        proofFlags.push(false);
        proof.push(bytesToHexAt(this.nodes, 32 * sibling, 32));
      }
      queue.push((j - 1) >> 1);
    }
    if (treeIndices.length === 0) proof.push(this.root);
    const slots = this.#leafSlots();
    return {
      leaves: treeIndices.map((t) => this.#valueAt(defined(slots[this.nodes.length / 32 - 1 - t]))),
      leafHashes: treeIndices.map((t) => bytesToHexAt(this.nodes, 32 * t, 32)),
      proof,
      proofFlags,
    };
  }

  /**
   * The tree in `@openzeppelin/merkle-tree`'s `standard-v1` dump format, JSON-safe
   * (bigints as decimal strings): `StandardMerkleTree.load(tree.dump())` works.
   */
  dump(): StandardMerkleTreeDump {
    const nodeCount = this.nodes.length / 32;
    const tree: Hex[] = new Array<Hex>(nodeCount);
    for (let t = 0; t < nodeCount; t++) tree[t] = bytesToHexAt(this.nodes, 32 * t, 32);
    const values = new Array<{ value: unknown[]; treeIndex: number }>(this.length);
    for (let i = 0; i < this.length; i++) {
      values[i] = {
        value: toJsonValue(this.#valueAt(i)) as unknown[],
        treeIndex: defined(this.#treeIndexOfValue[i]),
      };
    }
    return { format: "standard-v1", leafEncoding: [...this.leafEncoding], tree, values };
  }

  #checkIndex(index: number, path: string): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new InvalidInputError(
        path,
        `${String(index)} is not a value index (the tree has ${this.length} values)`,
      );
    }
    return index;
  }

  /** Value index by leaf slot (slot s = node 2n-2-s), built on first multiproof. */
  #leafSlots(): Uint32Array {
    if (this.#valueOfLeafSlot === undefined) {
      const last = this.nodes.length / 32 - 1;
      const slots = new Uint32Array(this.length);
      for (let i = 0; i < this.length; i++) slots[last - defined(this.#treeIndexOfValue[i])] = i;
      this.#valueOfLeafSlot = slots;
    }
    return this.#valueOfLeafSlot;
  }
}
