import type { Database, Statement } from "better-sqlite3";

/** Kinds the adapters record beside ingest's own (same table, same API: /v1/devices/{id}/events). */
export type AdapterEventKind =
  /** The device stopped answering (or went silent): a gap is open from `lastReadingAtMs`. */
  | "adapter_degraded"
  /** The device answers again: the gap `fromMs`…`toMs` has no readings and none are made up. */
  | "adapter_gap"
  /** A frame refused by its parser (bad CRC, wrong length, forged webhook…), nothing stored. */
  | "adapter_frame_rejected"
  /** A device's own counter fell: readings continue in a new counterEpoch. */
  | "adapter_counter_reset"
  /** LoRaWAN frame counter jumped: uplinks lost between the network server and the gateway. */
  | "adapter_uplink_gap";

/**
 * Writes adapter events into `ingest_events` from the main thread's
 * connection (the store is WAL with a busy timeout, so this waits for the
 * ingest writer rather than failing). Events are rare: one per state change,
 * never one per poll.
 */
export class AdapterEventsRepository {
  readonly #insert: Statement;

  constructor(db: Database) {
    this.#insert = db.prepare(
      "INSERT INTO ingest_events (at_ms, device_ref, kind, channel, sequence, detail) VALUES (?, ?, ?, NULL, NULL, ?)",
    );
  }

  record(deviceRef: number, kind: AdapterEventKind, atMs: number, detail: object): void {
    this.#insert.run(atMs, deviceRef, kind, JSON.stringify(detail));
  }
}
