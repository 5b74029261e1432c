/**
 * `npm run bench -- indexer-queries`: p50/p99 latency over HTTP of the queries the dapp's
 * dashboards and lot page send (imported from dapp/src), on the store the embedded indexer builds
 * from the indexer benchmark's chain (10,000 containers over four streams of one site, 1,000 jobs
 * and their lots; populateBenchChain), each against the same request run in-process on the engine
 * in the same run. Goal: p99 < 50 ms. Client and server share one event loop here, so on a loaded
 * machine the HTTP figures include the scheduler's wake-up latency; the load average at the start
 * and end is reported with them.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import type { PublicClient } from "viem";
import { metric, type BenchContext, type BenchMetric } from "../../../scripts/bench/types.ts";
import { Indexer } from "../host/indexer.ts";
import { populateBenchChain } from "../host/populateBenchChain.ts";
import { SCHEMA_FILE, openEntityStore } from "../store/openEntityStore.ts";
import { startQueryServer } from "./queryServer.ts";
import { measureDashboardQueries, newestId } from "./testing/dashboardQueries.ts";

const CONTAINERS = 10_000;
const JOBS = 1_000;

export default {
  name: "indexer-queries",
  description: `dashboard GraphQL queries over a store of ${CONTAINERS} containers, ${JOBS} jobs and lots`,
  async run(context: BenchContext): Promise<BenchMetric[]> {
    const connection = await network.create();
    const dir = await mkdtemp(path.join(tmpdir(), "ei-query-bench-"));
    try {
      context.progress("building the chain …");
      const chain = await populateBenchChain(
        connection.viem,
        { containers: CONTAINERS, jobs: JOBS, batchSize: 100 },
        context.progress,
      );
      const client = (await connection.viem.getPublicClient()) as unknown as PublicClient;
      const store = openEntityStore(path.join(dir, "subgraph.sqlite"));
      const indexer = await Indexer.create({
        client,
        store,
        deployments: chain.deployments,
        network: "hardhat",
      });
      context.progress("indexing …");
      const synced = await indexer.syncOnce();
      if (synced.failed !== null) throw new Error(`indexing failed: ${synced.failed.message}`);
      const server = await startQueryServer({
        db: store.db,
        schemaFile: SCHEMA_FILE,
        name: "energy-intelligence/bench",
      });
      try {
        const loadBefore = loadavg()[0] ?? 0;
        const metrics = await measureDashboardQueries(
          {
            url: server.url,
            engine: server.engine,
            subjects: {
              siteId: newestId(store.db, "Site"),
              machineId: newestId(store.db, "Machine"),
              deviceId: newestId(store.db, "Device"),
              productId: newestId(store.db, "Product"),
              lotId: newestId(store.db, "ProductLot"),
            },
          },
          context.progress,
        );
        const loadAfter = loadavg()[0] ?? 0;
        const worst = (suffix: string) =>
          Math.max(...metrics.filter((m) => m.metric.endsWith(suffix)).map((m) => m.value));
        return [
          ...metrics,
          metric("worst dashboard p99 over HTTP (goal < 50 ms)", worst(": p99"), "ms"),
          metric("1-minute load average at start", Math.round(loadBefore * 100) / 100, "load"),
          metric("1-minute load average at end", Math.round(loadAfter * 100) / 100, "load"),
        ];
      } finally {
        await server.close();
        store.close();
      }
    } finally {
      await connection.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
