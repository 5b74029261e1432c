import * as dagPb from "@ipld/dag-pb";
import { sha256 } from "@noble/hashes/sha2.js";
import { UnixFS } from "ipfs-unixfs";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import { InvariantError } from "../errors/index.ts";
import {
  DAG_PB_CODEC,
  RAW_CODEC,
  SHA2_256_CODE,
  UNIXFS_CHUNK_SIZE_BYTES,
  UNIXFS_MAX_LINKS_PER_NODE,
} from "./constants.ts";

/** One IPFS block: its CID and the exact bytes the CID hashes. */
export interface UnixfsBlock {
  cid: CID;
  bytes: Uint8Array;
}

export interface ComputeUnixfsBlocksReturnType {
  /** The file's CID: a raw block for files up to one chunk, else the dag-pb root. */
  cid: CID;
  /** The file's size in bytes (the UnixFS `filesize`). */
  size: number;
  /** Every block of the DAG: leaves in file order, then parents level by level, root last. */
  blocks: UnixfsBlock[];
}

/** A built subtree: its CID, its file bytes, and its cumulative block size (the link's Tsize). */
interface Subtree {
  cid: CID;
  fileSize: bigint;
  totalBlockBytes: number;
}

/** A synchronous SHA-256: bytes in, 32-byte digest out. */
export type Sha256 = (bytes: Uint8Array) => Uint8Array;

export interface ComputeUnixfsBlocksOptions {
  /**
   * The SHA-256 to hash blocks with. Default: @noble/hashes, pure JS, the same
   * everywhere. A runtime with a native one (Node's `node:crypto`, about 10x
   * faster on large files) may pass it; the result is identical.
   */
  sha256?: Sha256 | undefined;
}

function cidOf(codec: number, bytes: Uint8Array, hash: Sha256): CID {
  // Synchronous hashing: multiformats' own sha256 is async in browsers
  // (WebCrypto), which would make every caller async for no reason.
  return CID.createV1(codec, Digest.create(SHA2_256_CODE, hash(bytes)));
}

/**
 * Splits bytes into a UnixFS file DAG exactly as Kubo's `ipfs add
 * --cid-version=1` does (and `ipfs-unixfs-importer` with `rawLeaves: true,
 * reduceSingleLeafToSelf: true`, balanced layout): CIDv1, sha2-256, 256 KiB
 * fixed chunks stored as raw leaves, parents in dag-pb with at most 174 links
 * each, built bottom-up so every level but the last is full.
 *
 * - A file of at most 256 KiB (including the empty file) is one raw block; its
 *   CID has codec raw (0x55).
 * - A larger file's CID is the dag-pb (0x70) root; each parent stores the
 *   UnixFS `file` type, its `filesize` and each child's `blocksize`, and each
 *   link has an empty name and the child's cumulative size as `Tsize`.
 *
 * Synchronous and pure: the blocks are returned for an IPFS node or gateway to
 * store. Hashing runs at roughly 30-100 MiB/s with the default pure-JS SHA-256;
 * pass `options.sha256` to use a native one. Raw leaves are views into `bytes`, not copies, so do not mutate it.
 *
 * @example
 * ```ts
 * const { cid, blocks } = computeUnixfsBlocks(new TextEncoder().encode("hello"));
 * // on Node, faster for big files:
 * // computeUnixfsBlocks(bytes, { sha256: (b) => createHash("sha256").update(b).digest() })
 * cid.toString(); // "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
 * blocks.length; // 1
 * ```
 */
export function computeUnixfsBlocks(
  bytes: Uint8Array,
  options: ComputeUnixfsBlocksOptions = {},
): ComputeUnixfsBlocksReturnType {
  const hash = options.sha256 ?? sha256;
  const blocks: UnixfsBlock[] = [];

  if (bytes.length <= UNIXFS_CHUNK_SIZE_BYTES) {
    // reduceSingleLeafToSelf: a one-chunk file is its raw leaf, no wrapper node.
    const cid = cidOf(RAW_CODEC, bytes, hash);
    blocks.push({ cid, bytes });
    return { cid, size: bytes.length, blocks };
  }

  let level: Subtree[] = [];
  for (let offset = 0; offset < bytes.length; offset += UNIXFS_CHUNK_SIZE_BYTES) {
    const chunk = bytes.subarray(offset, offset + UNIXFS_CHUNK_SIZE_BYTES);
    const cid = cidOf(RAW_CODEC, chunk, hash);
    blocks.push({ cid, bytes: chunk });
    level.push({ cid, fileSize: BigInt(chunk.length), totalBlockBytes: chunk.length });
  }

  // More than one chunk here, so the loop runs at least once and ends with one root.
  while (level.length > 1) {
    const parents: Subtree[] = [];
    for (let start = 0; start < level.length; start += UNIXFS_MAX_LINKS_PER_NODE) {
      const children = level.slice(start, start + UNIXFS_MAX_LINKS_PER_NODE);
      const unixfs = new UnixFS({ type: "file" });
      for (const child of children) unixfs.addBlockSize(child.fileSize);
      const node = dagPb.prepare({
        Data: unixfs.marshal(),
        Links: children.map((child) => ({
          Name: "",
          Tsize: child.totalBlockBytes,
          Hash: child.cid,
        })),
      });
      const encoded = dagPb.encode(node);
      const cid = cidOf(DAG_PB_CODEC, encoded, hash);
      blocks.push({ cid, bytes: encoded });
      parents.push({
        cid,
        fileSize: unixfs.fileSize(),
        totalBlockBytes:
          encoded.length + children.reduce((sum, child) => sum + child.totalBlockBytes, 0),
      });
    }
    level = parents;
  }

  const root = level[0];
  // Unreachable: a file longer than one chunk always yields a root above.
  if (root === undefined) throw new InvariantError("UnixFS layout produced no root");
  return { cid: root.cid, size: bytes.length, blocks };
}
