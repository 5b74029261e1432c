import { exporter } from "ipfs-unixfs-exporter";
import type { CID } from "multiformats/cid";
import type { ContentStore } from "./contentStore.ts";
import { collectBytes } from "./contentStore.ts";

/**
 * Reads a UnixFS file's bytes through a content store's local blocks (a raw
 * block is its own file). Resolves undefined when the root is not a file or a
 * block is missing: the gateway route answers 404 or 406 rather than hanging.
 */
export async function readUnixfsFile(
  store: ContentStore,
  cid: CID,
): Promise<Uint8Array | undefined> {
  const blockstore = {
    // The exporter reads blocks as (async) generators of chunks, as interface-blockstore 7 does.
    async *get(key: CID, options?: { signal?: AbortSignal }) {
      const bytes = await store.getBlock(key, options);
      if (bytes === undefined) throw new MissingBlockError(key);
      yield bytes;
    },
  };
  try {
    const entry = await exporter(cid, blockstore);
    if (entry.type !== "file" && entry.type !== "raw") return undefined;
    return await collectBytes(entry.content());
  } catch (error) {
    if (error instanceof MissingBlockError) return undefined;
    throw error;
  }
}

class MissingBlockError extends Error {
  override name = "MissingBlockError";
  constructor(cid: CID) {
    super(`block ${cid.toString()} is not in the store`);
  }
}
