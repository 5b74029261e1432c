import { mkdirSync } from "node:fs";
import path from "node:path";
import { unixfs } from "@helia/unixfs";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight } from "helia";
import type { CID } from "multiformats/cid";
import {
  type ContentStore,
  ContentMismatchError,
  ContentStoreUnavailableError,
  collectBytes,
} from "./contentStore.ts";
import { kuboCompatibleImportOptions } from "./unixfsImportOptions.ts";

export interface CreateHeliaContentStoreParameters {
  /** Holds `blocks/` and `datastore/`; created if missing. */
  directory: string;
}

/**
 * The embedded content store: light Helia (no libp2p, no networking, starts in
 * milliseconds) over a file-system blockstore, so blocks survive restarts and
 * the gateway's `/ipfs/` route serves them. Publishing to the wider IPFS
 * network is Kubo's job (createKuboContentStore) or a pinning service's.
 *
 * @example
 * ```ts
 * const store = await createHeliaContentStore({ directory: path.join(dataDir, "ipfs") });
 * await store.putFile({ root: built.cid, blocks: built.blocks, bytes: built.documentBytes });
 * ```
 */
export async function createHeliaContentStore(
  parameters: CreateHeliaContentStoreParameters,
): Promise<ContentStore> {
  const blocksDir = path.join(parameters.directory, "blocks");
  const dataDir = path.join(parameters.directory, "datastore");
  mkdirSync(blocksDir, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  const blockstore = new FsBlockstore(blocksDir);
  const datastore = new FsDatastore(dataDir);
  const helia = createHeliaLight({ blockstore, datastore });
  await helia.start();
  const fs = unixfs(helia);
  let closed = false;

  const unavailable = (what: string, cause: unknown): ContentStoreUnavailableError =>
    new ContentStoreUnavailableError(`Helia store: ${what} failed`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });

  return {
    kind: "helia",
    async putFile({ root, blocks, bytes }) {
      if (closed) throw new ContentStoreUnavailableError("Helia store is closed");
      let imported: CID;
      try {
        for (const block of blocks) await helia.blockstore.put(block.cid, block.bytes);
        // The check: Helia's own importer, run over the same bytes with Kubo's
        // parameters, must land on the sdk's root.
        imported = await fs.addBytes(bytes, kuboCompatibleImportOptions());
      } catch (error) {
        throw unavailable("put", error);
      }
      if (imported.toString() !== root.toString()) {
        throw new ContentMismatchError(
          `Helia computed ${imported.toString()} for a file the sdk calls ${root.toString()}`,
        );
      }
    },
    async getBlock(cid, options = {}) {
      try {
        if (!(await helia.blockstore.has(cid, options))) return undefined;
        return await collectBytes(helia.blockstore.get(cid, options));
      } catch (error) {
        throw unavailable("get", error);
      }
    },
    async hasBlock(cid, options = {}) {
      try {
        return await helia.blockstore.has(cid, options);
      } catch (error) {
        throw unavailable("has", error);
      }
    },
    isUp() {
      return Promise.resolve(!closed);
    },
    async close() {
      if (closed) return;
      closed = true;
      await helia.stop();
    },
  };
}
