import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { CID } from "multiformats/cid";
import { computeCid } from "@energy-intelligence/sdk/cid/index";
import {
  IpfsBlockMismatchError,
  IpfsBlockUnavailableError,
} from "@energy-intelligence/sdk/verify/ipfsBlockErrors";
import { gatewayBlockSource } from "@energy-intelligence/sdk/verify/gatewayBlockSource";
import {
  readVerifiedUnixfsFile,
  type BlockSource,
} from "@energy-intelligence/sdk/verify/readVerifiedUnixfsFile";

export { IpfsBlockMismatchError, IpfsBlockUnavailableError };

const MAX_SCAN_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The bytes of a UnixFS file (what `ipfs add --cid-version=1` stored) from an
 * untrusted source, checked block by block by the sdk's readVerifiedUnixfsFile:
 * a gateway or directory can withhold data but never substitute it.
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
  const getBlock: BlockSource = isUrl ? gatewayBlockSource(source, fetch) : directoryBlocks(source);
  return readVerifiedUnixfsFile(cid, getBlock, source);
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
