import * as dagPb from "@ipld/dag-pb";
import { sha256 } from "@noble/hashes/sha2.js";
import { UnixFS } from "ipfs-unixfs";
import type { CID } from "multiformats/cid";
import { DAG_PB_CODEC, RAW_CODEC, SHA2_256_CODE } from "../cid/index.ts";
import { IpfsBlockMismatchError, IpfsBlockUnavailableError } from "./ipfsBlockErrors.ts";

/** Largest file the verifier will assemble: a container or footprint document is far smaller. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Where blocks come from (an IPFS gateway, a directory, a blockstore): undefined when absent. */
export type BlockSource = (cid: CID) => Promise<Uint8Array | undefined>;

/**
 * The bytes of a UnixFS file (what `ipfs add --cid-version=1` stored) from an untrusted block
 * source, checked block by block: each block must hash to the CID that names it before its links
 * are followed, so a source can withhold data but never substitute it. For a one-block (raw) file
 * the bytes are returned as found and the caller's CID check decides, so a swapped document is
 * reported as a CID mismatch with both CIDs. Pure: the caller supplies `getBlock`.
 *
 * @throws {IpfsBlockUnavailableError} when a block cannot be had.
 * @throws {IpfsBlockMismatchError} when an inner block does not match its CID.
 * @example
 * ```ts
 * const bytes = await readVerifiedUnixfsFile(cid, (c) => fetchRawBlock(c), "https://ipfs.example");
 * ```
 */
export async function readVerifiedUnixfsFile(
  cid: CID,
  getBlock: BlockSource,
  sourceName: string,
): Promise<Uint8Array> {
  const root = await getBlock(cid);
  if (root === undefined)
    throw new IpfsBlockUnavailableError(`${cid.toString()} is not in ${sourceName}`);
  if (cid.code === RAW_CODEC) return root;
  const chunks: Uint8Array[] = [];
  let total = 0;
  const walk = async (node: CID, bytes: Uint8Array): Promise<void> => {
    assertBlock(node, bytes);
    if (node.code === RAW_CODEC) {
      chunks.push(bytes);
      total += bytes.length;
      if (total > MAX_FILE_BYTES)
        throw new IpfsBlockMismatchError("the file is larger than any container document");
      return;
    }
    if (node.code !== DAG_PB_CODEC)
      throw new IpfsBlockMismatchError(
        `unexpected codec 0x${node.code.toString(16)} in ${node.toString()}`,
      );
    const decoded = dagPb.decode(bytes);
    if (decoded.Data !== undefined) {
      const unixfs = UnixFS.unmarshal(decoded.Data);
      if (unixfs.type !== "file" && unixfs.type !== "raw") {
        throw new IpfsBlockMismatchError(
          `${node.toString()} is a UnixFS ${unixfs.type}, not a file`,
        );
      }
      if (unixfs.data !== undefined && unixfs.data.length > 0) {
        chunks.push(unixfs.data);
        total += unixfs.data.length;
      }
    }
    for (const link of decoded.Links) {
      const child = await getBlock(link.Hash);
      if (child === undefined)
        throw new IpfsBlockUnavailableError(
          `block ${link.Hash.toString()} is not in ${sourceName}`,
        );
      await walk(link.Hash, child);
    }
  };
  await walk(cid, root);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function assertBlock(cid: CID, bytes: Uint8Array): void {
  if (cid.multihash.code !== SHA2_256_CODE) {
    throw new IpfsBlockMismatchError(`${cid.toString()} is not sha2-256; cannot check it`);
  }
  const digest = sha256(bytes);
  const expected = cid.multihash.digest;
  if (digest.length !== expected.length || digest.some((byte, index) => byte !== expected[index])) {
    throw new IpfsBlockMismatchError(
      `block ${cid.toString()} from the source does not hash to its CID`,
    );
  }
}
