import { InvalidInputError } from "../errors/index.ts";
import { hashSortedPairInto } from "./keccak256Into.ts";
import { parseHash } from "./internal/hex.ts";
import type { Hex, MerkleMultiProofOfHashes } from "./types.ts";

export type VerifyMerkleMultiProofParameters = [root: Hex, multiProof: MerkleMultiProofOfHashes];
export type VerifyMerkleMultiProofReturnType = boolean;
/** Malformed hashes or a proof whose lengths cannot fit together (on chain: a revert). */
export type VerifyMerkleMultiProofErrorType = InvalidInputError;

/**
 * Whether a multiproof links all `leafHashes` to `root`, by the algorithm of
 * OZ `MerkleProof.multiProofVerify`: each flag says whether the next pair
 * takes its second node from the queue of computed nodes (true) or from `proof`.
 *
 * @example
 * ```ts
 * const multiProof = tree.getMultiProof([0, 5, 9]);
 * verifyMerkleMultiProof(tree.root, multiProof); // true
 * ```
 */
export function verifyMerkleMultiProof(
  ...[root, multiProof]: VerifyMerkleMultiProofParameters
): VerifyMerkleMultiProofReturnType {
  const expected = parseHash(root, "root");
  const { leafHashes, proof, proofFlags } = multiProof;
  const queue = leafHashes.map((h, k) => parseHash(h, `leafHashes[${k}]`));
  const siblings = proof.map((h, k) => parseHash(h, `proof[${k}]`));
  const fromProof = proofFlags.filter((f) => !f).length;
  // As on chain: leaves + proof = flags + 1, and with any flags every proof
  // hash is consumed (OZ MerkleProof reverts MerkleProofInvalidMultiproof otherwise).
  if (
    queue.length + siblings.length !== proofFlags.length + 1 ||
    (proofFlags.length > 0 && siblings.length !== fromProof)
  ) {
    throw new InvalidInputError(
      "multiProof",
      `${queue.length} leaves, ${siblings.length} proof hashes and ${proofFlags.length} flags do not form a multiproof`,
      {
        details:
          "A multiproof needs leaves + proof = flags + 1 and exactly one proof hash per false flag.",
      },
    );
  }
  let head = 0;
  let next = 0;
  const pair = new Uint8Array(64);
  for (const flag of proofFlags) {
    const a = queue[head++];
    const b = flag ? queue[head++] : siblings[next++];
    // Unreachable after the length checks above; kept so no input can read past the queue.
    if (a === undefined || b === undefined) {
      throw new InvalidInputError(
        "multiProof.proofFlags",
        "the flags consume more leaves than given",
      );
    }
    pair.set(a, 0);
    pair.set(b, 32);
    const parent = new Uint8Array(32);
    hashSortedPairInto(pair, 0, 32, parent, 0);
    queue.push(parent);
  }
  const computed = proofFlags.length > 0 ? queue[queue.length - 1] : (queue[0] ?? siblings[0]);
  if (computed === undefined) return false;
  for (let i = 0; i < 32; i++) if (computed[i] !== expected[i]) return false;
  return true;
}
