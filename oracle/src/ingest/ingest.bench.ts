/**
 * `npm run bench -- ingest`: durable readings per second into the gateway over
 * MQTT and HTTP, with 100-reading and 1-reading messages, and the p99 time from
 * send to acknowledgement (which comes only after the commit's fsync). The
 * baseline, measured in the same run: better-sqlite3 inserting the same rows
 * into the same schema with the same pragmas, in 1,000-row transactions, with
 * no parsing, authentication or network — the ceiling of the store itself.
 *
 * The gateway runs in a child process (its writer on a worker thread); this
 * process is the load generator, with every message signed before timing. Both
 * share the machine's cores.
 *
 * Wall-clock rates swing with whatever else runs on the machine, so each run
 * also reports the gateway's CPU time per reading (all its threads, from
 * /proc, Linux only) against the CPU time per row of the raw ceiling: that
 * ratio is what ingest costs beyond the store itself, and holds still on a
 * busy machine.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { type BenchContext, type BenchMetric, metric } from "../../../scripts/bench/types.ts";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { STORE_FILE_NAME, openStore } from "../store/openStore.ts";
import { TestDevice } from "../testing/deviceFixture.ts";
import { startGatewayProcess } from "../testing/gatewayProcess.ts";
import { type AckRecord, presign, sendHttp, sendMqtt } from "../testing/loadGenerator.ts";
import { rawInsertCeiling } from "./ingestBench.benchHelper.ts";

const CONNECTIONS = 8;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** CPU time (user + system, every thread) a process has used so far, ms; undefined off Linux. */
function processCpuMs(pid: number | undefined): number | undefined {
  const file = `/proc/${String(pid)}/stat`;
  if (pid === undefined || !existsSync(file)) return undefined;
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz).
  const fields = readFileSync(file, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface RunResult {
  readingsPerSecond: number;
  /** Gateway CPU time (all threads) per durable reading, µs; undefined off Linux. */
  cpuMicrosPerReading: number | undefined;
  p99Ms: number;
  p50Ms: number;
  stored: number;
}

async function runScenario(
  transport: "mqtt" | "http",
  readingsPerMessage: number,
  messagesPerDevice: number,
  writer: "worker" | "inline",
  progress: (message: string) => void,
): Promise<RunResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ei-bench-ingest-"));
  try {
    const devices = Array.from(
      { length: CONNECTIONS },
      (_, index) => new TestDevice(index, { startMs: Date.now() - 30 * 86_400_000 }),
    );
    const db = openStore({ dataDir });
    const repository = new DevicesRepository(db);
    for (const device of devices) device.register(repository);
    db.close();
    const streams = presign(devices, messagesPerDevice, readingsPerMessage);
    const gateway = await startGatewayProcess({ dataDir, set: { ingest: { writer } } });
    const acks: AckRecord[] = [];
    const cpuBefore = processCpuMs(gateway.child.pid);
    const started = performance.now();
    if (transport === "http") {
      await sendHttp({ url: gateway.httpUrl, streams, onAck: (ack) => acks.push(ack) });
    } else {
      await sendMqtt({
        url: gateway.mqttUrl ?? "",
        streams,
        window: readingsPerMessage === 1 ? 64 : 8,
        onAck: (ack) => acks.push(ack),
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = processCpuMs(gateway.child.pid);
    gateway.child.kill("SIGTERM");
    await gateway.exited;
    const check = new BetterSqlite3(path.join(dataDir, STORE_FILE_NAME), { readonly: true });
    const stored = (check.prepare("SELECT count(*) AS n FROM readings").get() as { n: number }).n;
    check.close();
    const acked = acks.reduce((sum, ack) => sum + ack.readings, 0);
    if (stored !== acked)
      throw new Error(`${transport}: ${acked} readings acknowledged but ${stored} stored`);
    const latencies = acks.map((ack) => ack.latencyMs).sort((a, b) => a - b);
    const result = {
      readingsPerSecond: acked / seconds,
      cpuMicrosPerReading:
        cpuBefore === undefined || cpuAfter === undefined
          ? undefined
          : ((cpuAfter - cpuBefore) * 1000) / acked,
      p99Ms: percentile(latencies, 99),
      p50Ms: percentile(latencies, 50),
      stored,
    };
    progress(
      `${transport} ${readingsPerMessage}-reading messages (${writer} writer): ${Math.round(result.readingsPerSecond).toLocaleString("en-US")} readings/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, gateway CPU ${result.cpuMicrosPerReading?.toFixed(1) ?? "?"} µs/reading (${stored} stored)`,
    );
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export default {
  name: "ingest",
  description:
    "durable readings/s over MQTT and HTTP, p99 ack latency, vs raw better-sqlite3 ceiling",
  async run({ progress }: BenchContext): Promise<BenchMetric[]> {
    progress("raw ceiling: better-sqlite3, same schema and pragmas, 1,000-row transactions...");
    const raw = rawInsertCeiling(200_000);
    progress(
      `  ${Math.round(raw.rowsPerSecond).toLocaleString("en-US")} rows/s, ${raw.cpuMicrosPerRow.toFixed(1)} CPU µs/row`,
    );
    const baseline = {
      name: "raw better-sqlite3 rows/s (1,000-row tx)",
      value: raw.rowsPerSecond,
    };
    const cpuBaseline = {
      name: "raw better-sqlite3 CPU µs/row",
      value: raw.cpuMicrosPerRow,
    };
    const metrics: BenchMetric[] = [
      metric("raw ceiling", raw.rowsPerSecond, "rows/s"),
      metric("raw ceiling CPU", raw.cpuMicrosPerRow, "cpu-µs/row"),
    ];
    // The default writer (worker thread) and, for 100-reading messages, the
    // inline one: on a machine with no spare core the thread hop costs more
    // than it saves, and the table shows it.
    for (const [transport, readingsPerMessage, messagesPerDevice, writer] of [
      ["mqtt", 100, 200, "worker"],
      ["http", 100, 200, "worker"],
      ["mqtt", 100, 200, "inline"],
      ["http", 100, 200, "inline"],
      ["mqtt", 1, 400, "worker"],
      ["http", 1, 250, "worker"],
    ] as const) {
      const result = await runScenario(
        transport,
        readingsPerMessage,
        messagesPerDevice,
        writer,
        progress,
      );
      const label = `${transport} ${readingsPerMessage}-reading msgs${writer === "inline" ? " (inline writer)" : ""}`;
      metrics.push(
        metric(`${label}: durable readings/s`, result.readingsPerSecond, "readings/s", baseline),
      );
      metrics.push(metric(`${label}: p99 ack latency`, result.p99Ms, "ms"));
      if (result.cpuMicrosPerReading !== undefined)
        metrics.push(
          metric(
            `${label}: gateway CPU per reading`,
            result.cpuMicrosPerReading,
            "cpu-µs/reading",
            cpuBaseline,
          ),
        );
    }
    return metrics;
  },
};
