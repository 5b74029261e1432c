/**
 * What the ingest benchmarks share (`ingest.bench.ts`, `ingestStages.bench.ts`): a throwaway
 * store directory, and the raw ceiling both compare the gateway with — better-sqlite3 inserting
 * one registered device's readings into the same schema with the same pragmas, in 1,000-row
 * transactions, with no parsing, authentication or network.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { openStore } from "../store/openStore.ts";
import { TestDevice } from "../testing/deviceFixture.ts";

/** Runs `use` with a fresh temporary directory, removed afterwards whatever happens. */
export function withTempDir<T>(prefix: string, use: (dataDir: string) => T): T {
  const dataDir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    return use(dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export interface RawInsertCeiling {
  rowsPerSecond: number;
  /** CPU time (user + system, this process) per row, µs. */
  cpuMicrosPerRow: number;
}

/** The store's own ceiling: `rows` readings in 1,000-row transactions, timed and CPU-counted. */
export function rawInsertCeiling(rows: number): RawInsertCeiling {
  return withTempDir("ei-bench-raw-", (dataDir) => {
    const db = openStore({ dataDir });
    const device = new TestDevice(0);
    device.register(new DevicesRepository(db));
    const readings = device.readings(rows);
    const insertMessage = db.prepare(
      "INSERT INTO messages (device_ref, transport, format, auth_scheme, signature, sent_at_ms, received_at_ms, reading_count) VALUES (1, 'raw', 'ei.device-message.v1', 'ed25519', ?, ?, ?, 1000)",
    );
    const insert = db.prepare(
      `INSERT INTO readings (message_id, device_ref, channel, sequence, timestamp_ms,
         energy_imported_milliwatt_hours, energy_exported_milliwatt_hours, counter_epoch,
         power_milliwatts, voltage_millivolts, current_milliamps, power_factor_per_mille, quality)
       VALUES (?, 1, ?, ?, ?, ?, ?, NULL, ?, NULL, NULL, NULL, 1)`,
    );
    const signature = Buffer.alloc(64, 7);
    const commit = db.transaction((start: number) => {
      const messageId = insertMessage.run(signature, Date.now(), Date.now()).lastInsertRowid;
      for (let i = start; i < start + 1000 && i < rows; i++) {
        const r = readings[i];
        if (r === undefined) continue;
        insert.run(
          messageId,
          r.channel,
          r.sequence,
          r.timestampMs,
          Number(r.energyImportedMilliWattHours),
          0,
          r.powerMilliWatts,
        );
      }
    });
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let start = 0; start < rows; start += 1000) commit(start);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    db.close();
    return { rowsPerSecond: rows / seconds, cpuMicrosPerRow: (used.user + used.system) / rows };
  });
}
