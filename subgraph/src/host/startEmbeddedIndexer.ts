/**
 * The embedded indexer and its query server together, as `ei indexer` and `ei start` run them:
 * an entity store in `dataDir`, an Indexer following the chain, graph-node's query API over the
 * same SQLite connection. `close()` stops indexing, then the server, then the store.
 */
import path from "node:path";
import type { PublicClient } from "viem";
import type { DeploymentEntry } from "../../../sdk/src/contracts/deploymentsSchema.ts";
import { startQueryServer } from "../query/queryServer.ts";
import { SCHEMA_FILE, openEntityStore } from "../store/openEntityStore.ts";
import { Indexer } from "./indexer.ts";
import type { LogLevel } from "./mappingRuntime.ts";
import type { FetchThread } from "./rangeFetcher.ts";

export interface EmbeddedIndexerOptions {
  client: PublicClient;
  deployments: Readonly<Partial<Record<string, DeploymentEntry>>>;
  network: string;
  dataDir: string;
  /** Subgraph name served at /subgraphs/name/<name>. */
  name: string;
  host?: string;
  port?: number;
  blockRange?: number;
  /** Calls per JSON-RPC batch over HTTP (block headers); the Indexer's default when absent. */
  rpcBatchSize?: number;
  /** Where ranges are fetched (`IndexerOptions.fetchThread`); `auto` when absent. */
  fetchThread?: FetchThread;
  confirmations?: number;
  pollIntervalMs?: number;
  log?: (level: LogLevel, message: string, dataSource: string) => void;
  /** Errors of a sync round (the next round retries). */
  onError?: (error: unknown) => void;
}

export interface EmbeddedIndexer {
  /** The query URL, `http://host:port/subgraphs/name/<name>`. */
  url: string;
  /** graph-node's index-node status API, `http://host:port/graphql`. */
  statusUrl: string;
  indexer: Indexer;
  close(): Promise<void>;
}

export const STORE_FILE_NAME = "subgraph.sqlite";

export async function startEmbeddedIndexer(
  options: EmbeddedIndexerOptions,
): Promise<EmbeddedIndexer> {
  const store = openEntityStore(path.join(options.dataDir, STORE_FILE_NAME));
  try {
    const indexer = await Indexer.create({
      client: options.client,
      store,
      deployments: options.deployments,
      network: options.network,
      deployment: options.name,
      ...(options.blockRange === undefined ? {} : { blockRange: options.blockRange }),
      ...(options.rpcBatchSize === undefined ? {} : { rpcBatchSize: options.rpcBatchSize }),
      ...(options.fetchThread === undefined ? {} : { fetchThread: options.fetchThread }),
      ...(options.confirmations === undefined ? {} : { confirmations: options.confirmations }),
      ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const server = await startQueryServer({
      db: store.db,
      schemaFile: SCHEMA_FILE,
      name: options.name,
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 0,
      // The status API's chainHeadBlock: the head the indexer's RPC endpoint sees now.
      chainHead: async () => {
        const block = await options.client.getBlock({ blockTag: "latest" });
        return { number: Number(block.number), hash: block.hash };
      },
    });
    indexer.start(options.onError);
    return {
      url: server.url,
      statusUrl: server.statusUrl,
      indexer,
      async close() {
        await indexer.stop();
        await server.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
