import type { Database, Statement } from "better-sqlite3";
import type { ReadingRow } from "./readingRow.ts";

export const QUALITY_NAMES = ["measured", "estimated", "imported"] as const;

/** A stored reading with how its message was authenticated, as containers need it. */
export interface StoredReading {
  id: number;
  deviceRef: number;
  channel: number;
  sequence: number;
  timestampMs: number;
  energyImportedMilliWattHours: bigint;
  energyExportedMilliWattHours: bigint;
  counterEpoch: number | null;
  powerMilliWatts: number | null;
  voltageMillivolts: number | null;
  currentMilliamps: number | null;
  powerFactorPerMille: number | null;
  quality: (typeof QUALITY_NAMES)[number];
  authScheme: string;
}

/** With safeIntegers on, every INTEGER column comes back as a bigint. */
interface ReadingQueryRow extends ReadingRow {
  id: bigint;
  device_ref: bigint;
  auth_scheme: string;
}

const SELECT = `SELECT r.id, r.device_ref, r.channel, r.sequence, r.timestamp_ms, r.energy_imported_milliwatt_hours,
  r.energy_exported_milliwatt_hours, r.counter_epoch, r.power_milliwatts, r.voltage_millivolts, r.current_milliamps,
  r.power_factor_per_mille, r.quality, m.auth_scheme
  FROM readings r JOIN messages m ON m.message_id = r.message_id`;

const toNumber = (value: bigint | null): number | null => (value === null ? null : Number(value));

function toReading(row: ReadingQueryRow): StoredReading {
  return {
    id: Number(row.id),
    deviceRef: Number(row.device_ref),
    channel: Number(row.channel),
    sequence: Number(row.sequence),
    timestampMs: Number(row.timestamp_ms),
    energyImportedMilliWattHours: row.energy_imported_milliwatt_hours,
    energyExportedMilliWattHours: row.energy_exported_milliwatt_hours,
    counterEpoch: toNumber(row.counter_epoch),
    powerMilliWatts: toNumber(row.power_milliwatts),
    voltageMillivolts: toNumber(row.voltage_millivolts),
    currentMilliamps: toNumber(row.current_milliamps),
    powerFactorPerMille: toNumber(row.power_factor_per_mille),
    quality: QUALITY_NAMES[Number(row.quality)] ?? "estimated",
    authScheme: row.auth_scheme,
  };
}

/**
 * Read-only queries over the ingest tables (`readings`, `messages`) for
 * closing containers and the chart API. Counters are read as bigints (safe
 * integers turn into numbers where they fit the type).
 */
export class ReadingsQueries {
  readonly #db: Database;
  readonly #inRange: Statement;
  readonly #lastBefore: Statement;
  readonly #firstAtOrAfter: Statement;

  constructor(db: Database) {
    this.#db = db;
    this.#inRange = db
      .prepare(
        `${SELECT} WHERE r.device_ref = ? AND r.channel = ? AND r.timestamp_ms >= ? AND r.timestamp_ms < ? ORDER BY r.timestamp_ms, r.sequence`,
      )
      .safeIntegers(true);
    this.#lastBefore = db
      .prepare(
        `${SELECT} WHERE r.device_ref = ? AND r.channel = ? AND r.timestamp_ms < ? ORDER BY r.timestamp_ms DESC, r.sequence DESC LIMIT 1`,
      )
      .safeIntegers(true);
    this.#firstAtOrAfter = db
      .prepare(
        `${SELECT} WHERE r.device_ref = ? AND r.channel = ? AND r.timestamp_ms >= ? ORDER BY r.timestamp_ms, r.sequence LIMIT 1`,
      )
      .safeIntegers(true);
  }

  /** Runs `read` in one read transaction, so every query sees the same snapshot. */
  snapshot<T>(read: () => T): T {
    return this.#db.transaction(read)();
  }

  inRange(deviceRef: number, channel: number, fromMs: number, toMs: number): StoredReading[] {
    return (this.#inRange.all(deviceRef, channel, fromMs, toMs) as ReadingQueryRow[]).map(
      toReading,
    );
  }

  lastBefore(deviceRef: number, channel: number, beforeMs: number): StoredReading | undefined {
    const row = this.#lastBefore.get(deviceRef, channel, beforeMs) as ReadingQueryRow | undefined;
    return row === undefined ? undefined : toReading(row);
  }

  firstAtOrAfter(deviceRef: number, channel: number, atMs: number): StoredReading | undefined {
    const row = this.#firstAtOrAfter.get(deviceRef, channel, atMs) as ReadingQueryRow | undefined;
    return row === undefined ? undefined : toReading(row);
  }

  maxReadingId(): number {
    return (
      this.#db.prepare("SELECT coalesce(max(id), 0) AS id FROM readings").get() as { id: number }
    ).id;
  }

  /** The earliest reading timestamp of these channels, or undefined when none has a reading. */
  firstTimestampMs(
    channels: readonly { deviceRef: number; channel: number }[],
  ): number | undefined {
    let first: number | undefined;
    for (const { deviceRef, channel } of channels) {
      const row = this.#db
        .prepare("SELECT min(timestamp_ms) AS t FROM readings WHERE device_ref = ? AND channel = ?")
        .get(deviceRef, channel) as { t: number | null };
      if (row.t !== null && (first === undefined || row.t < first)) first = row.t;
    }
    return first;
  }

  /**
   * Readings ingested after `afterId` with a timestamp before `beforeMs`: late
   * for closed periods. The unary `+` keeps SQLite on the id range (only new
   * rows), not on the device index (every row of the channel).
   */
  lateReadings(
    channels: readonly { deviceRef: number; channel: number }[],
    afterId: number,
    beforeMs: number,
  ): { id: number; timestampMs: number }[] {
    const statement = this.#db.prepare(
      "SELECT id, timestamp_ms AS timestampMs FROM readings WHERE id > ? AND +device_ref = ? AND +channel = ? AND timestamp_ms < ?",
    );
    return channels.flatMap(
      ({ deviceRef, channel }) =>
        statement.all(afterId, deviceRef, channel, beforeMs) as {
          id: number;
          timestampMs: number;
        }[],
    );
  }
}
