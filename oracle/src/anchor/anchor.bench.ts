/**
 * `npm run bench -- anchor`: containers per minute end to end — readings
 * written to the store, periods closed into containers, documents put into
 * Helia on disk, anchored with anchorMany on a hardhat node and confirmed —
 * batching up to 100 containers per transaction, next to the same pipeline
 * sending one container per transaction, measured in the same run on the same
 * chain.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { metric, type BenchContext, type BenchMetric } from "../../../scripts/bench/types.ts";
import { openTestSite, startTestChain, waitFor } from "./testing/anchoringFixture.ts";

const PERIOD_MS = 10_000;
const CONTAINERS = 120;
const READINGS_PER_PERIOD = 10;

interface Run {
  seconds: number;
  containers: number;
  transactions: number;
}

async function runOnce(
  rpcUrl: string,
  deployment: Parameters<typeof openTestSite>[0]["deployment"],
  startMs: number,
  maxBatchContainers: number,
): Promise<Run> {
  const site = await openTestSite({
    rpcUrl,
    deployment,
    startMs,
    periodMs: PERIOD_MS,
    confirmations: 1,
    maxBatchContainers,
  });
  try {
    const begin = performance.now();
    await site.ingest(CONTAINERS * READINGS_PER_PERIOD, 100);
    // The readings end at startMs + CONTAINERS periods: close exactly those (the last one past its 1 s grace).
    const nowMs = startMs + CONTAINERS * PERIOD_MS + 1000;
    let closed = 0;
    for (let pass = site.services.closeNow(nowMs); pass > 0; pass = site.services.closeNow(nowMs))
      closed += pass;
    await waitFor(
      () => site.services.containers.countByState().confirmed === closed,
      "all containers confirmed",
      600_000,
    );
    const seconds = (performance.now() - begin) / 1000;
    const transactions = (
      site.db.prepare("SELECT count(*) AS n FROM anchor_transactions").get() as { n: number }
    ).n;
    return { seconds, containers: closed, transactions };
  } finally {
    await site.close();
  }
}

export default {
  name: "anchor",
  description:
    "containers/min end to end (readings → closed → Helia → anchorMany on a hardhat node → confirmed), batched vs one container per transaction",
  async run({ progress }: BenchContext): Promise<BenchMetric[]> {
    const directory = mkdtempSync(path.join(tmpdir(), "ei-anchor-bench-"));
    const { node, deployment } = await startTestChain(directory);
    try {
      const base = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 3 * CONTAINERS * PERIOD_MS;
      progress(
        `batched: ${CONTAINERS} containers of ${READINGS_PER_PERIOD} readings, up to 100 per transaction`,
      );
      const batched = await runOnce(node.rpcUrl, deployment, base, 100);
      progress(`baseline: the same, one container per transaction`);
      const single = await runOnce(node.rpcUrl, deployment, base + CONTAINERS * PERIOD_MS, 1);
      const perMinute = (run: Run) => (run.containers / run.seconds) * 60;
      progress(
        `batched ${batched.containers} in ${batched.seconds.toFixed(1)} s (${batched.transactions} tx); single ${single.containers} in ${single.seconds.toFixed(1)} s (${single.transactions} tx)`,
      );
      return [
        metric(
          "containers per minute, batched (≤ 100 per anchorMany)",
          Math.round(perMinute(batched)),
          "containers/min",
          {
            name: "one container per transaction",
            value: Math.round(perMinute(single)),
          },
        ),
        metric(
          `end-to-end seconds for ${CONTAINERS} containers, batched`,
          Number(batched.seconds.toFixed(2)),
          "s",
          {
            name: "one container per transaction",
            value: Number(single.seconds.toFixed(2)),
          },
        ),
        metric("anchoring transactions, batched", batched.transactions, "tx", {
          name: "one container per transaction",
          value: single.transactions,
        }),
      ];
    } finally {
      await node.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
