/**
 * `npm run bench -- indexer`: the embedded indexer over a chain of 10,000 containers (anchored 100 per
 * transaction) and 1,000 jobs with their lots, as in production: the chain is a separate process
 * (`hardhat node`) reached over HTTP JSON-RPC, so its CPU is not the indexer's. Measures a full sync
 * from an empty store (each range's eth_getLogs and block headers in JSON-RPC batches, fetched and
 * parsed in the indexer's worker thread; handler calls in wasm; SQLite writes) in wall time and in
 * CPU time of this process (the indexer alone: fetch worker, decode, handlers, store), against the
 * baseline of the same run's fetch side alone (the same batched logs and headers on the main
 * thread, every log decoded, no handlers, no store; run twice, the second measured). The node's own
 * CPU during the sync is reported beside them, and the load average.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { network } from "hardhat";
import { createPublicClient, http, type PublicClient } from "viem";
import { readChainHead } from "../../../sdk/src/chain/readChainHead.ts";
import { metric, type BenchContext, type BenchMetric } from "../../../scripts/bench/types.ts";
import { startHardhatNode, type HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import { openEntityStore } from "../store/openEntityStore.ts";
import { decodeEventArgs } from "./decodeEventArgs.ts";
import { fetchBlockRange } from "./fetchBlockRange.ts";
import { Indexer } from "./indexer.ts";
import { jsonRpcBatchOf } from "./jsonRpcBatch.ts";
import { populateBenchChain } from "./populateBenchChain.ts";
import { readBuiltManifest } from "./readBuiltManifest.ts";

const CONTAINERS = 10_000;
const JOBS = 1_000;
const BATCH_SIZE = 100;
/** The indexer's default range, used by the baseline too. */
const BLOCK_RANGE = 2000;

/** CPU seconds (user + system, all threads) of this process since `since`. */
function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/** CPU seconds the node process has used so far (Linux /proc; null elsewhere). */
async function nodeCpuSeconds(node: HardhatNode): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${String(node.process.pid)}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

const load = () => Math.round((loadavg()[0] ?? 0) * 10) / 10;

export default {
  name: "indexer",
  description: `embedded indexer: ${CONTAINERS} containers, ${JOBS} jobs and lots indexed from an empty store, chain in a separate hardhat node over HTTP`,
  async run(context: BenchContext): Promise<BenchMetric[]> {
    const loadAtStart = load();
    context.progress("starting hardhat node …");
    const node = await startHardhatNode();
    const dir = await mkdtemp(path.join(tmpdir(), "ei-indexer-bench-"));
    try {
      const connection = await network.create({
        network: "localhost",
        override: { url: node.rpcUrl },
      });
      const populateStarted = performance.now();
      let chain;
      try {
        context.progress(`building the chain on ${node.rpcUrl} …`);
        chain = await populateBenchChain(
          connection.viem,
          { containers: CONTAINERS, jobs: JOBS, batchSize: BATCH_SIZE },
          (message) => {
            const elapsed = ((performance.now() - populateStarted) / 1000).toFixed(0);
            context.progress(`${message} (${elapsed} s)`);
          },
        );
      } finally {
        await connection.close();
      }
      // The indexer's client as `ei indexer --rpc-url` makes it: viem over HTTP.
      const client = createPublicClient({ transport: http(node.rpcUrl) }) as PublicClient;
      const addresses = Object.values(chain.deployments).map((d) => d.address);

      // Baseline: the indexer's fetch side alone (batched logs and headers), every log decoded.
      const manifest = await readBuiltManifest();
      const inputsByTopic = new Map(
        manifest.flatMap((ds) =>
          [...ds.handlers.values()].map((h) => [h.topic0, h.event.inputs] as const),
        ),
      );
      const rpc = jsonRpcBatchOf(client);
      const head = Number(await readChainHead(client));
      const fetchAndDecode = async () => {
        const cpu = process.cpuUsage();
        const started = performance.now();
        let decoded = 0;
        for (let from = chain.startBlock; from <= head; from += BLOCK_RANGE) {
          const to = Math.min(from + BLOCK_RANGE - 1, head);
          const range = await fetchBlockRange(
            rpc,
            { from, to, addresses },
            (log) => log.topics[0] !== undefined && inputsByTopic.has(log.topics[0]),
          );
          for (const log of range.logs) {
            const topic0 = log.topics[0];
            const inputs = topic0 === undefined ? undefined : inputsByTopic.get(topic0);
            if (inputs === undefined) continue;
            decodeEventArgs(inputs, log.topics, log.data, "host");
            decoded++;
          }
        }
        return {
          decoded,
          seconds: (performance.now() - started) / 1000,
          cpuSeconds: cpuSeconds(cpu),
        };
      };
      // Twice, the second measured: the first also pays for compiling the fetch path.
      await fetchAndDecode();
      const baseline = await fetchAndDecode();
      // Domain events as counted for the sync below (one per anchored container, not per batch).
      const baselineEvents = baseline.decoded - 2 * Math.ceil(CONTAINERS / BATCH_SIZE) + CONTAINERS;
      context.progress(
        `baseline: ${baseline.decoded} logs (${baselineEvents} domain events) fetched with their headers and decoded in ${baseline.seconds.toFixed(2)} s, ${baseline.cpuSeconds.toFixed(2)} CPU-s (load ${load()})`,
      );

      const store = openEntityStore(path.join(dir, "subgraph.sqlite"));
      const indexer = await Indexer.create({
        client,
        store,
        deployments: chain.deployments,
        network: "hardhat",
        blockRange: BLOCK_RANGE,
      });
      const loadBeforeSync = load();
      const nodeCpuBefore = await nodeCpuSeconds(node);
      const startedCpu = process.cpuUsage();
      const started = performance.now();
      const result = await indexer.syncOnce();
      const seconds = (performance.now() - started) / 1000;
      const busySeconds = cpuSeconds(startedCpu);
      const nodeCpuAfter = await nodeCpuSeconds(node);
      const loadAfterSync = load();
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
      const nodeCpu =
        nodeCpuBefore === null || nodeCpuAfter === null ? null : nodeCpuAfter - nodeCpuBefore;
      context.progress(
        `indexed ${result.events} logs (${domainEvents} domain events) in ${seconds.toFixed(2)} s, ` +
          `${busySeconds.toFixed(2)} CPU-s in the indexer` +
          (nodeCpu === null ? "" : `, ${nodeCpu.toFixed(2)} CPU-s in the node`) +
          ` (load ${loadBeforeSync} → ${loadAfterSync})`,
      );
      const metrics = [
        metric(
          "domain events indexed/s (wall; container, stamp, lot, transfer)",
          Math.round(domainEvents / seconds),
          "events/s",
          {
            name: "fetch + decode only, no handlers (wall)",
            value: Math.round(baselineEvents / baseline.seconds),
          },
        ),
        metric("logs indexed/s (wall)", Math.round(result.events / seconds), "logs/s"),
        metric("containers indexed/s (wall)", Math.round(CONTAINERS / seconds), "containers/s"),
        // On a shared machine wall time includes waiting for a core; per CPU-second of the indexer
        // process (the node's CPU is not in it) is the figure an idle core gives.
        metric(
          "domain events indexed per indexer CPU-second",
          Math.round(domainEvents / busySeconds),
          "events/s",
          {
            name: "fetch + decode only, per CPU-second",
            value: Math.round(baselineEvents / baseline.cpuSeconds),
          },
        ),
        metric(
          "indexer CPU per domain event",
          Math.round((busySeconds / domainEvents) * 1e6),
          "µs",
          {
            name: "fetch + decode only",
            value: Math.round((baseline.cpuSeconds / baselineEvents) * 1e6),
          },
        ),
        metric("full sync", Math.round(seconds * 1000), "ms"),
        metric("indexer CPU during the sync", Math.round(busySeconds * 1000), "ms"),
        metric("load average (1 min) at start of bench", loadAtStart, "load"),
        metric("load average (1 min) before / after the sync", loadBeforeSync, "load", {
          name: "after",
          value: loadAfterSync,
        }),
      ];
      if (nodeCpu !== null)
        metrics.push(
          metric(
            "node (chain) CPU during the sync, not counted above",
            Math.round(nodeCpu * 1000),
            "ms",
          ),
        );
      return metrics;
    } finally {
      await node.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
