import type { Database } from "better-sqlite3";

export interface IngestEventRecord {
  eventId: number;
  atMs: number;
  kind: string;
  channel: number | null;
  sequence: number | null;
  /** JSON text: what the event is about (stored and received values, gap bounds, …). */
  detail: string;
}

/** The `ingest_events` table (written by the ingest writer, read here). */
export class IngestEventsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  listForDevice(deviceRef: number, limit: number): IngestEventRecord[] {
    return this.#db
      .prepare(
        `SELECT event_id AS eventId, at_ms AS atMs, kind, channel, sequence, detail
         FROM ingest_events WHERE device_ref = ? ORDER BY event_id DESC LIMIT ?`,
      )
      .all(deviceRef, limit) as IngestEventRecord[];
  }

  countByKind(): Record<string, number> {
    const rows = this.#db
      .prepare("SELECT kind, count(*) AS n FROM ingest_events GROUP BY kind")
      .all() as {
      kind: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((row) => [row.kind, row.n]));
  }
}
