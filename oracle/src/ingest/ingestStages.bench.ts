/**
 * `npm run bench -- ingest-stages`: CPU time per reading of each stage of the
 * ingest path for 100-reading Ed25519 messages, in one thread, against the
 * CPU time per row of the raw ceiling (better-sqlite3, same schema and
 * pragmas, 1,000-row transactions). CPU time, not wall time, and medians of
 * alternating rounds: on a machine several people share, a wall-clock rate
 * says more about the neighbours than about the code, while these hold still
 * well enough to compare two versions of a stage.
 *
 * Stages: JSON.parse, the structural check, the signature check (canonical
 * body + Ed25519), the structured clone to the writer thread, and the store
 * writer's transaction (dedupe, counter checks, savepoints, inserts, fsync).
 */
import { deserialize, serialize } from "node:v8";
import { type DeviceMessage, isDeviceMessage } from "@energy-intelligence/sdk";
import { type BenchContext, type BenchMetric, metric } from "../../../scripts/bench/types.ts";
import { DeviceDirectory } from "../auth/deviceDirectory.ts";
import { verifyMessageAuth } from "../auth/verifyMessageAuth.ts";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { openStore } from "../store/openStore.ts";
import { TestDevice } from "../testing/deviceFixture.ts";
import type { PendingMessage } from "./ingestTypes.ts";
import { rawInsertCeiling, withTempDir } from "./ingestBench.benchHelper.ts";
import { StoreWriter } from "./storeWriter.ts";

const DEVICES = 8;
const MESSAGES_PER_DEVICE = 100;
const READINGS_PER_MESSAGE = 100;
const READINGS = DEVICES * MESSAGES_PER_DEVICE * READINGS_PER_MESSAGE;
const ROUNDS = 5;

/** CPU time of `work`, µs per reading. */
function cpuMicrosPerReading(work: () => void): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / READINGS;
}

function stages(): Record<string, number> {
  return withTempDir("ei-bench-stages-", (dataDir) => {
    const db = openStore({ dataDir });
    const repository = new DevicesRepository(db);
    const devices = Array.from({ length: DEVICES }, (_, index) => new TestDevice(index));
    for (const device of devices) device.register(repository);
    const directory = new DeviceDirectory(repository, { pollMs: 0 });
    const payloads: Buffer[] = [];
    for (let m = 0; m < MESSAGES_PER_DEVICE; m++)
      for (const device of devices)
        payloads.push(
          Buffer.from(JSON.stringify(device.signFast(device.readings(READINGS_PER_MESSAGE)))),
        );
    let messages: DeviceMessage[] = [];
    const parse = cpuMicrosPerReading(() => {
      messages = payloads.map((payload) => JSON.parse(payload.toString("utf8")) as DeviceMessage);
    });
    const check = cpuMicrosPerReading(() => {
      for (const message of messages) if (!isDeviceMessage(message)) throw new Error("invalid");
    });
    const verify = cpuMicrosPerReading(() => {
      for (const message of messages) {
        const entry = directory.get(message.deviceId);
        if (entry === undefined || !verifyMessageAuth(message, entry)) throw new Error("bad sig");
      }
    });
    const pending: PendingMessage[] = messages.map((message) => ({
      deviceRef: directory.get(message.deviceId)?.record.deviceRef ?? 0,
      transport: "mqtt",
      receivedAtMs: Date.now(),
      message,
    }));
    const batches: PendingMessage[][] = [];
    for (let i = 0; i < pending.length; i += 50) batches.push(pending.slice(i, i + 50));
    const clone = cpuMicrosPerReading(() => {
      for (const batch of batches) deserialize(serialize(batch));
    });
    const writer = new StoreWriter(db);
    const write = cpuMicrosPerReading(() => {
      for (const batch of batches) writer.write(batch);
    });
    directory.close();
    db.close();
    return { parse, check, verify, clone, write };
  });
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export default {
  name: "ingest-stages",
  description:
    "CPU µs per reading of each ingest stage (parse, check, verify, clone, write) vs raw",
  async run({ progress }: BenchContext): Promise<BenchMetric[]> {
    const raw: number[] = [];
    const rounds: Record<string, number>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      raw.push(rawInsertCeiling(READINGS).cpuMicrosPerRow);
      rounds.push(stages());
      progress(`round ${round + 1}/${ROUNDS}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const baseline = { name: "raw better-sqlite3 CPU µs/row (1,000-row tx)", value: median(raw) };
    const labels: Record<string, string> = {
      parse: "JSON.parse",
      check: "structural check (isDeviceMessage)",
      verify: "signature (canonical body + Ed25519)",
      clone: "structured clone to the writer thread",
      write: "store writer transaction",
    };
    return [
      metric("raw ceiling CPU", baseline.value, "cpu-µs/row"),
      ...Object.entries(labels).map(([key, label]) =>
        metric(label, median(rounds.map((r) => r[key] ?? Number.NaN)), "cpu-µs/reading", baseline),
      ),
    ];
  },
};
