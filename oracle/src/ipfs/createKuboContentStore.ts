import { create } from "kubo-rpc-client";
import { CID } from "multiformats/cid";
import { DAG_PB_CODEC, RAW_CODEC, UNIXFS_CHUNK_SIZE_BYTES } from "@energy-intelligence/sdk";
import {
  type ContentStore,
  ContentMismatchError,
  ContentStoreUnavailableError,
} from "./contentStore.ts";

export interface CreateKuboContentStoreParameters {
  /** Kubo's RPC API, e.g. http://127.0.0.1:5001 (never expose it publicly: it is an admin API). */
  url: string;
  /** Per-call deadline, so an unreachable node is an outage rather than a hang. */
  timeoutMs?: number;
}

function codecName(cid: CID): string {
  if (cid.code === RAW_CODEC) return "raw";
  if (cid.code === DAG_PB_CODEC) return "dag-pb";
  throw new ContentMismatchError(
    `unexpected codec 0x${cid.code.toString(16)} in ${cid.toString()}`,
  );
}

/**
 * The production content store: a Kubo node over kubo-rpc-client (the
 * successor of the archived ipfs-http-client). Blocks are put one by one with
 * their codec, then the bytes are added the way `ipfs add --cid-version=1`
 * does, which both pins the file and checks Kubo's CID against the sdk's.
 * Reads are `offline` so the gateway route never waits on the DHT for a CID
 * this site never stored.
 *
 * Tested against a stand-in speaking Kubo's RPC wire format
 * (`testing/startKuboRpcStub.ts`): no Kubo binary installs offline.
 */
export function createKuboContentStore(parameters: CreateKuboContentStoreParameters): ContentStore {
  const timeout = parameters.timeoutMs ?? 10_000;
  const kubo = create({ url: parameters.url, timeout });
  // Passed as an option, not `searchParams`: the client spreads `searchParams` into
  // a plain object, which drops a URLSearchParams' entries.
  const offline = { offline: true };

  const unavailable = (what: string, cause: unknown): ContentStoreUnavailableError =>
    new ContentStoreUnavailableError(`Kubo at ${parameters.url}: ${what} failed`, {
      details: cause instanceof Error ? cause.message : String(cause),
      cause,
    });

  return {
    kind: "kubo",
    async putFile({ root, blocks, bytes }) {
      let added: CID;
      try {
        for (const block of blocks) {
          // `cid-codec`, not the deprecated `format` (which Kubo reads as a legacy
          // CIDv0 switch): a CIDv1 with the block's codec, as the sdk names it. The
          // client sends unknown options as kebab-case query parameters; a variable,
          // not a literal, because its option type does not list `cidCodec`.
          const putOptions = { cidCodec: codecName(block.cid), mhtype: "sha2-256" };
          const stored = await kubo.block.put(block.bytes, putOptions);
          if (stored.toString() !== block.cid.toString()) {
            throw new ContentMismatchError(
              `Kubo stored block ${stored.toString()}, expected ${block.cid.toString()}`,
            );
          }
        }
        const result = await kubo.add(bytes, {
          cidVersion: 1,
          rawLeaves: true,
          chunker: `size-${UNIXFS_CHUNK_SIZE_BYTES}`,
          pin: true,
        });
        added = result.cid;
      } catch (error) {
        if (error instanceof ContentMismatchError) throw error;
        throw unavailable("put", error);
      }
      if (added.toString() !== root.toString()) {
        throw new ContentMismatchError(
          `Kubo computed ${added.toString()} for a file the sdk calls ${root.toString()}`,
        );
      }
    },
    async getBlock(cid, options = {}) {
      try {
        if (!(await this.hasBlock(cid, options))) return undefined;
        const getOptions = { ...offline, ...options };
        return await kubo.block.get(cid, getOptions);
      } catch (error) {
        throw unavailable("get", error);
      }
    },
    async hasBlock(cid, options = {}) {
      try {
        const statOptions = { ...offline, ...options };
        await kubo.block.stat(cid, statOptions);
        return true;
      } catch (error) {
        // Kubo answers 500 "block was not found locally (offline)" for an unknown block.
        if (error instanceof Error && /not found/iu.test(error.message)) return false;
        throw unavailable("stat", error);
      }
    },
    async isUp() {
      try {
        await kubo.id({ timeout: 2000 });
        return true;
      } catch {
        return false;
      }
    },
    close() {
      return Promise.resolve();
    },
  };
}
