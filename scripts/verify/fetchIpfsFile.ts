import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import * as dagPb from "@ipld/dag-pb";
import { sha256 } from "@noble/hashes/sha2.js";
import { UnixFS } from "ipfs-unixfs";
import type { CID } from "multiformats/cid";
import {
  computeCid,
  DAG_PB_CODEC,
  RAW_CODEC,
  SHA2_256_CODE,
} from "@energy-intelligence/sdk/cid/index";

/** The block was found but its bytes do not hash to its CID: the source is lying. */
export class IpfsBlockMismatchError extends Error {
  override name = "IpfsBlockMismatchError";
}
/** The block could not be found or fetched. */
export class IpfsBlockUnavailableError extends Error {
  override name = "IpfsBlockUnavailableError";
}

/** Largest file the verifier will assemble: a container document is far smaller. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_SCAN_FILE_BYTES = 64 * 1024 * 1024;

type BlockSource = (cid: CID) => Promise<Uint8Array | undefined>;

/**
 * The bytes of a UnixFS file (what `ipfs add --cid-version=1` stored) from an
 * untrusted source, checked block by block: each block must hash to the CID
 * that names it before its links are followed, so a gateway or directory can
 * withhold data but never substitute it. For a one-block (raw) file the bytes
 * are returned as found and the caller's CID check decides, so a swapped
 * document is reported as a CID mismatch with both CIDs.
 *
 * `source` is an IPFS HTTP gateway (`GET /ipfs/<cid>?format=raw`, trustless
 * raw blocks) or a local directory holding blocks named by CID (`<cid>`,
 * `<cid>.raw`, `<cid>.bin`) or whole files (found by their recomputed CID).
 *
 * @throws {IpfsBlockUnavailableError} when a block cannot be had.
 * @throws {IpfsBlockMismatchError} when an inner block does not match its CID.
 */
export async function fetchIpfsFile(cid: CID, source: string): Promise<Uint8Array> {
  const isUrl = /^https?:\/\//u.test(source);
  if (!isUrl) {
    const whole = await findWholeFile(source, cid);
    if (whole !== undefined) return whole;
  }
  const getBlock: BlockSource = isUrl ? gatewayBlocks(source) : directoryBlocks(source);
  const root = await getBlock(cid);
  if (root === undefined)
    throw new IpfsBlockUnavailableError(`${cid.toString()} is not in ${source}`);
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
        throw new IpfsBlockUnavailableError(`block ${link.Hash.toString()} is not in ${source}`);
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

function gatewayBlocks(gateway: string): BlockSource {
  const base = gateway.replace(/\/+$/u, "");
  return async (cid) => {
    let response: Response;
    try {
      response = await fetch(`${base}/ipfs/${cid.toString()}?format=raw`, {
        headers: { accept: "application/vnd.ipld.raw" },
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      throw new IpfsBlockUnavailableError(
        `${base} did not answer for ${cid.toString()}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw new IpfsBlockUnavailableError(
        `${base} answered ${response.status} for ${cid.toString()}`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}

function directoryBlocks(directory: string): BlockSource {
  return async (cid) => {
    for (const name of [cid.toString(), `${cid.toString()}.raw`, `${cid.toString()}.bin`]) {
      try {
        return new Uint8Array(await readFile(join(directory, name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
    return undefined;
  };
}

/** A file in the directory whose recomputed UnixFS CID is `cid` (e.g. `document.json`), if any. */
async function findWholeFile(directory: string, cid: CID): Promise<Uint8Array | undefined> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    throw new IpfsBlockUnavailableError(
      `--ipfs ${directory} is neither a gateway URL nor a readable directory (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  // A file named by the CID is a block, handled by the block walk; scanning is for named documents.
  for (const name of names.sort()) {
    if (name.startsWith(cid.toString())) continue;
    const path = join(directory, name);
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_SCAN_FILE_BYTES) continue;
    const bytes = new Uint8Array(await readFile(path));
    if (computeCid(bytes).equals(cid)) return bytes;
  }
  return undefined;
}
