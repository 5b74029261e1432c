/**
 * `npm run bench -- indexer`: the embedded indexer over a chain of 10,000 containers (anchored 100 per
 * transaction) and 1,000 jobs with their lots, on an in-process Hardhat (EDR) chain. Measures a full
 * sync from an empty store (eth_getLogs and headers over EIP-1193, handler calls in fresh wasm
 * instances, SQLite writes) against the baseline of the same logs fetched and decoded without
 * handlers, in the same run.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { decodeEventLog, type PublicClient } from "viem";
import { metric, type BenchContext, type BenchMetric } from "../../../scripts/bench/types.ts";
import { openEntityStore } from "../store/openEntityStore.ts";
import { Indexer } from "./indexer.ts";
import { populateBenchChain } from "./populateBenchChain.ts";
import { readBuiltManifest } from "./readBuiltManifest.ts";

const CONTAINERS = 10_000;

/** CPU seconds (user + system, all threads) of this process since `since`. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}
const JOBS = 1_000;
const BATCH_SIZE = 100;

export default {
  name: "indexer",
  description: `embedded indexer: ${CONTAINERS} containers, ${JOBS} jobs and lots indexed from an empty store`,
  async run(context: BenchContext): Promise<BenchMetric[]> {
    const connection = await network.create();
    const dir = await mkdtemp(path.join(tmpdir(), "ei-indexer-bench-"));
    try {
      context.progress("building the chain …");
      const chain = await populateBenchChain(
        connection.viem,
        { containers: CONTAINERS, jobs: JOBS, batchSize: BATCH_SIZE },
        context.progress,
      );
      const client = (await connection.viem.getPublicClient()) as unknown as PublicClient;
      const addresses = Object.values(chain.deployments).map((d) => d.address);

      // Baseline: the same logs fetched and decoded, no handlers, no store.
      const manifest = await readBuiltManifest();
      const events = new Map(
        manifest.flatMap((ds) =>
          [...ds.handlers.values()].map((h) => [h.topic0, h.event] as const),
        ),
      );
      const head = await client.getBlockNumber();
      const baselineCpu = process.cpuUsage();
      const baselineStarted = performance.now();
      let decoded = 0;
      for (let from = BigInt(chain.startBlock); from <= head; from += 2000n) {
        const to = from + 1999n < head ? from + 1999n : head;
        const logs = await client.getLogs({ address: addresses, fromBlock: from, toBlock: to });
        for (const log of logs) {
          const event = log.topics[0] === undefined ? undefined : events.get(log.topics[0]);
          if (event === undefined) continue;
          decodeEventLog({ abi: [event], data: log.data, topics: log.topics });
          decoded++;
        }
      }
      const baselineSeconds = (performance.now() - baselineStarted) / 1000;
      const baselineCpuSeconds = cpuSeconds(baselineCpu);
      context.progress(
        `baseline: ${decoded} logs fetched and decoded in ${baselineSeconds.toFixed(2)} s`,
      );

      const store = openEntityStore(path.join(dir, "subgraph.sqlite"));
      const indexer = await Indexer.create({
        client,
        store,
        deployments: chain.deployments,
        network: "hardhat",
      });
      const startedCpu = process.cpuUsage();
      const started = performance.now();
      const result = await indexer.syncOnce();
      const seconds = (performance.now() - started) / 1000;
      const busySeconds = cpuSeconds(startedCpu);
      if (result.failed !== null) throw new Error(`indexing failed: ${result.failed.message}`);
      const containers =
        store.db
          .prepare<[], { n: number }>(
            `SELECT count(*) AS n FROM "Container" WHERE block_to IS NULL`,
          )
          .get()?.n ?? 0;
      if (containers !== CONTAINERS)
        throw new Error(`indexed ${containers} containers, expected ${CONTAINERS}`);
      store.close();
      // A domain event is what a dashboard counts: each anchored container (its batch's
      // ContainersAnchored and TransferBatch logs count as one event per container), each job stamp,
      // lot, transfer and registry event.
      const batches = Math.ceil(CONTAINERS / BATCH_SIZE);
      const domainEvents = result.events - 2 * batches + CONTAINERS;
      context.progress(
        `indexed ${result.events} logs (${domainEvents} domain events) in ${seconds.toFixed(2)} s`,
      );
      const baseline = {
        name: "fetch + decode only (no handlers)",
        value: Math.round(decoded / baselineSeconds),
      };
      return [
        metric("logs indexed/s", Math.round(result.events / seconds), "logs/s", baseline),
        metric(
          "domain events indexed/s (container, stamp, lot, transfer)",
          Math.round(domainEvents / seconds),
          "events/s",
        ),
        metric("containers indexed/s", Math.round(CONTAINERS / seconds), "containers/s"),
        // On a shared machine wall time includes waiting for a core; per CPU-second of this process
        // (the in-process chain answering the RPC calls included) is the figure an idle core gives.
        metric(
          "domain events indexed per CPU-second",
          Math.round(domainEvents / busySeconds),
          "events/s",
          {
            name: "fetch + decode only, per CPU-second (logs)",
            value: Math.round(decoded / baselineCpuSeconds),
          },
        ),
        metric("full sync", Math.round(seconds * 1000), "ms"),
      ];
    } finally {
      await connection.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
