import type { Database, Statement } from "better-sqlite3";

/** The last stored reading of one channel, as an adapter needs it to continue the series. */
export interface AdapterChannelState {
  timestampMs: number;
  importedMilliWattHours: bigint;
  exportedMilliWattHours: bigint;
  counterEpoch: number;
}

/** Where an adapter-fed device's series stands in the store. */
export interface AdapterDeviceState {
  /** Highest stored sequence, -1 when none. */
  maxSequence: number;
  channels: Map<number, AdapterChannelState>;
}

/**
 * Read-only queries over `readings` that let an adapter resume after a
 * restart: the next sequence number and each channel's last counters, so a
 * re-delivered frame is recognised and a counter reset gets a new epoch.
 */
export class AdapterReadingStateQueries {
  readonly #maxSequence: Statement;
  readonly #lastPerChannel: Statement;

  constructor(db: Database) {
    this.#maxSequence = db.prepare(
      "SELECT coalesce(max(sequence), -1) AS s FROM readings WHERE device_ref = ?",
    );
    this.#lastPerChannel = db
      .prepare(
        `SELECT r.channel, r.timestamp_ms AS t, r.energy_imported_milliwatt_hours AS i,
                r.energy_exported_milliwatt_hours AS e, coalesce(r.counter_epoch, 0) AS epoch
         FROM readings r
         JOIN (SELECT channel, max(sequence) AS s FROM readings WHERE device_ref = ? GROUP BY channel) last
           ON r.channel = last.channel AND r.sequence = last.s
         WHERE r.device_ref = ?`,
      )
      .safeIntegers(true);
  }

  deviceState(deviceRef: number): AdapterDeviceState {
    const { s } = this.#maxSequence.get(deviceRef) as { s: number };
    const rows = this.#lastPerChannel.all(deviceRef, deviceRef) as {
      channel: bigint;
      t: bigint;
      i: bigint;
      e: bigint;
      epoch: bigint;
    }[];
    return {
      maxSequence: s,
      channels: new Map(
        rows.map((row) => [
          Number(row.channel),
          {
            timestampMs: Number(row.t),
            importedMilliWattHours: row.i,
            exportedMilliWattHours: row.e,
            counterEpoch: Number(row.epoch),
          },
        ]),
      ),
    };
  }
}
