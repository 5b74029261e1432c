import path from "node:path";
import { createPublicClient, http } from "viem";
import { z } from "zod";
import { parseDeployments } from "@energy-intelligence/sdk/contracts/parseDeployments";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { readJsonFile } from "../cli/readJsonFile.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const optionsSchema = z.object({
  rpcUrl: z.url({ protocol: /^https?$/ }),
  deployments: z.string().min(1),
  dataDir: z.string().min(1).default(path.join("data", "subgraph")),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/, "a subgraph name like org/name")
    .default("energy-intelligence/local"),
  network: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  host: z.string().default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65_535).default(8000),
  blockRange: z.coerce.number().int().min(1).max(100_000).default(2000),
  rpcBatchSize: z.coerce
    .number({ error: "a whole number of calls per batch, 1 to 1000" })
    .int("a whole number of calls per batch, 1 to 1000")
    .min(1, "a whole number of calls per batch, 1 to 1000")
    .max(1000, "a whole number of calls per batch, 1 to 1000")
    .optional(),
  fetchThread: z
    .enum(["auto", "main"], { error: "auto (a worker thread over HTTP) or main" })
    .optional(),
  confirmations: z.coerce.number().int().min(0).max(1000).default(0),
  pollIntervalMs: z.coerce.number().int().min(50).default(1000),
  once: z.boolean().optional(),
});

/**
 * `ei indexer`: the embedded indexer (the compiled subgraph mappings in a wasm host, entities in
 * SQLite) following a chain, and graph-node's query API over what it indexed.
 */
export const indexerCommand: CliCommand = {
  name: "indexer",
  description:
    "index the contracts' events with the compiled subgraph mappings into SQLite and serve graph-node-compatible GraphQL at /subgraphs/name/<name>",
  configure: (command) => {
    command
      .requiredOption("--rpc-url <url>", "JSON-RPC endpoint of the chain (http or https)")
      .requiredOption(
        "--deployments <file>",
        "deployments/<chainId>.json: addresses and start blocks",
      )
      .option("--data-dir <dir>", "where subgraph.sqlite lives (default data/subgraph)")
      .option("--name <name>", "subgraph name served (default energy-intelligence/local)")
      .option(
        "--network <name>",
        "graph-node network name (default from the chain id, subgraph/config/networks.json)",
      )
      .option("--host <host>", "GraphQL bind address (default 127.0.0.1)")
      .option("--port <port>", "GraphQL port, 0 for any free one (default 8000, as graph-node)")
      .option(
        "--block-range <n>",
        "most blocks per eth_getLogs request (default 2000; a catch-up starts at 16 and doubles up to it)",
      )
      .option(
        "--rpc-batch-size <n>",
        "JSON-RPC calls per HTTP batch for block headers, 1-1000 (default 100); lower it when the provider caps or refuses larger batches",
      )
      .option(
        "--fetch-thread <where>",
        "where block ranges are fetched and parsed: auto (a worker thread over HTTP, the default) or main (the main thread, where a worker cannot start)",
      )
      .option("--confirmations <n>", "blocks to stay behind the head (default 0)")
      .option("--poll-interval-ms <ms>", "how often to look for new blocks (default 1000)")
      .option("--once", "index up to the current head, print the head and exit (no GraphQL server)")
      .addHelpText(
        "after",
        "\nNeeds the built subgraph (`npm run build -w subgraph`). Prints `subgraph: <url>` and `ready`, then" +
          "\nfollows the chain until SIGINT/SIGTERM. Restarting resumes from the stored head; a reorg is rolled" +
          "\nback; a failing handler stops indexing and is reported in `_meta` (exit 1 with --once)." +
          '\nWith --json: {"subgraph": url} once ready, or with --once {"head": n, "events": n, "failed": …}.',
      );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(optionsSchema, rawOptions);
    const deployments = parseDeployments(await readJsonFile(options.deployments));
    const { openEntityStore } = await import("../../subgraph/src/store/openEntityStore.ts");
    const { Indexer } = await import("../../subgraph/src/host/indexer.ts");
    const { startEmbeddedIndexer, STORE_FILE_NAME } =
      await import("../../subgraph/src/host/startEmbeddedIndexer.ts");
    const { ManifestError } = await import("../../subgraph/src/host/readBuiltManifest.ts");
    const { networkOfChain } = await import("../../subgraph/scripts/generateManifest.ts");
    const client = createPublicClient({
      transport: http(options.rpcUrl, { batch: true, retryCount: 3 }),
    });
    let chainId: number;
    try {
      chainId = await client.getChainId();
    } catch (error) {
      throw new CliUsageError(
        `--rpc-url ${options.rpcUrl}: no JSON-RPC answer`,
        "Check that the node is running and the URL is right.",
        { cause: error },
      );
    }
    const network = options.network ?? (await networkOfChain(chainId).catch(() => "hardhat"));
    const log = (level: string, message: string, dataSource: string): void => {
      context.progress(`[${dataSource}] ${level}: ${message}`);
    };
    const tuning = {
      blockRange: options.blockRange,
      confirmations: options.confirmations,
      pollIntervalMs: options.pollIntervalMs,
      ...(options.rpcBatchSize === undefined ? {} : { rpcBatchSize: options.rpcBatchSize }),
      ...(options.fetchThread === undefined ? {} : { fetchThread: options.fetchThread }),
    };
    const reportFetchThread = (thread: "worker" | "main"): void => {
      context.progress(
        thread === "worker"
          ? "fetching block ranges in a worker thread"
          : "fetching block ranges on the main thread",
      );
    };
    const buildMissing = (error: unknown): never => {
      if (error instanceof ManifestError) {
        throw new CliUsageError(error.message, "Build the subgraph: npm run build -w subgraph", {
          cause: error,
        });
      }
      throw error;
    };

    if (options.once === true) {
      const store = openEntityStore(path.join(options.dataDir, STORE_FILE_NAME));
      try {
        const indexer = await Indexer.create({
          client,
          store,
          deployments,
          network,
          deployment: options.name,
          log,
          ...tuning,
        }).catch(buildMissing);
        reportFetchThread(indexer.fetchThread);
        const result = await indexer.syncOnce();
        context.print(
          result,
          result.failed === null
            ? `indexed to block ${result.head ?? "none"} (${result.events} events)`
            : `failed at block ${result.failed.block.number} in ${result.failed.handler}: ${result.failed.message}`,
        );
        return result.failed === null ? ExitCode.ok : ExitCode.checkFailed;
      } finally {
        store.close();
      }
    }

    const embedded = await startEmbeddedIndexer({
      client,
      deployments,
      network,
      dataDir: options.dataDir,
      name: options.name,
      host: options.host,
      port: options.port,
      log,
      onError: (error) => {
        context.progress(
          `indexer: ${error instanceof Error ? error.message : String(error)} (retrying)`,
        );
      },
      ...tuning,
    }).catch(buildMissing);
    reportFetchThread(embedded.indexer.fetchThread);
    context.print({ subgraph: embedded.url }, `subgraph: ${embedded.url}\nready`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        process.once("SIGINT", () => process.exit(1));
        process.once("SIGTERM", () => process.exit(1));
        void embedded.close().then(resolve);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    return ExitCode.ok;
  },
};
