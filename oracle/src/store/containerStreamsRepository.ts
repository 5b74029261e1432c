import type { Database } from "better-sqlite3";

export interface StreamCursor {
  siteId: string;
  streamId: string;
  periodMs: number;
  /** The first period not yet closed starts here. */
  nextPeriodStartMs: number;
  /** JSON: the last closed container's end boundary per channel (sdk CounterBoundary, bigints as strings). */
  endBoundaries: string | null;
  /** Readings with a larger id have not been checked for lateness yet. */
  lateCheckedReadingId: number;
}

interface StreamRow {
  site_id: string;
  stream_id: string;
  period_ms: number;
  next_period_start_ms: number;
  end_boundaries: string | null;
  late_checked_reading_id: number;
}

/** The `container_streams` table: where each stream's closing stands. */
export class ContainerStreamsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  get(siteId: string, streamId: string): StreamCursor | undefined {
    const row = this.#db
      .prepare("SELECT * FROM container_streams WHERE site_id = ? AND stream_id = ?")
      .get(siteId, streamId) as StreamRow | undefined;
    return row === undefined
      ? undefined
      : {
          siteId: row.site_id,
          streamId: row.stream_id,
          periodMs: row.period_ms,
          nextPeriodStartMs: row.next_period_start_ms,
          endBoundaries: row.end_boundaries,
          lateCheckedReadingId: row.late_checked_reading_id,
        };
  }

  /** Starts a stream's closing at `firstPeriodStartMs` (no-op when it has started). */
  start(
    siteId: string,
    streamId: string,
    periodMs: number,
    firstPeriodStartMs: number,
    readingId: number,
  ): void {
    this.#db
      .prepare(
        `INSERT INTO container_streams (site_id, stream_id, period_ms, next_period_start_ms, late_checked_reading_id)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(siteId, streamId, periodMs, firstPeriodStartMs, readingId);
  }

  /**
   * Moves the cursor past a closed period, only if it still stands at
   * `fromStartMs`: returns false when another closer got there first, and the
   * caller's transaction must then roll back its container.
   */
  advance(
    siteId: string,
    streamId: string,
    fromStartMs: number,
    toStartMs: number,
    endBoundaries: string,
  ): boolean {
    return (
      this.#db
        .prepare(
          "UPDATE container_streams SET next_period_start_ms = ?, end_boundaries = ? WHERE site_id = ? AND stream_id = ? AND next_period_start_ms = ?",
        )
        .run(toStartMs, endBoundaries, siteId, streamId, fromStartMs).changes === 1
    );
  }

  setLateChecked(siteId: string, streamId: string, readingId: number): void {
    this.#db
      .prepare(
        "UPDATE container_streams SET late_checked_reading_id = ? WHERE site_id = ? AND stream_id = ?",
      )
      .run(readingId, siteId, streamId);
  }
}
