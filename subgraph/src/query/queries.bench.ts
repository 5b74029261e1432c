/**
 * `npm run bench -- indexer-queries`: p50/p99 latency of the dashboard's GraphQL queries over
 * HTTP, on the store the embedded indexer builds from the indexer benchmark's chain (10,000
 * containers over four streams of one site, 1,000 jobs and their lots; populateBenchChain), each
 * against the same lookup as direct SQL on the same connection in the same run, and in-process
 * (the engine without HTTP). Goal: p99 < 50 ms. Client and server share one event loop here, so
 * on a loaded machine the HTTP figures include the scheduler's wake-up latency.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import type { PublicClient } from "viem";
import { metric, type BenchContext, type BenchMetric } from "../../../scripts/bench/types.ts";
import { MACHINE_ID, PRODUCT_ID, SITE_ID } from "../../../test/contracts/fixture.ts";
import { Indexer } from "../host/indexer.ts";
import { populateBenchChain } from "../host/populateBenchChain.ts";
import { SCHEMA_FILE, openEntityStore } from "../store/openEntityStore.ts";
import { readEntitySchema } from "./readEntitySchema.ts";
import { startQueryServer } from "./queryServer.ts";
import { measureDashboardQueries } from "./testing/dashboardQueries.ts";

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
        const lot = store.db
          .prepare(`SELECT id FROM "ProductLot" WHERE block_to IS NULL ORDER BY vid DESC LIMIT 1`)
          .get() as { id: string } | undefined;
        if (lot === undefined) throw new Error("no lot was indexed");
        const metrics = await measureDashboardQueries(
          {
            db: store.db,
            schema: readEntitySchema(readFileSync(SCHEMA_FILE, "utf8")),
            url: server.url,
            engine: server.engine,
            subjects: {
              siteId: SITE_ID,
              machineId: MACHINE_ID,
              productId: `${SITE_ID}-${PRODUCT_ID}`,
              lotId: lot.id,
            },
          },
          context.progress,
        );
        const worst = (suffix: string) =>
          Math.max(...metrics.filter((m) => m.metric.endsWith(suffix)).map((m) => m.value));
        return [
          ...metrics,
          metric("worst dashboard p99 over HTTP (goal < 50 ms)", worst(": p99"), "ms"),
          metric("worst dashboard p99 in-process", worst(": p99 in-process (no HTTP)"), "ms"),
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
