import type { Database } from "better-sqlite3";
import { InvariantError } from "@energy-intelligence/sdk";

/** The anchoring states, in order (oracle/README.md, "Anchoring"). */
export const CONTAINER_STATES = ["built", "stored", "submitted", "confirmed"] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];

export interface ContainerRecord {
  containerRef: number;
  /** The ERC-1155 token id, 0x + 64 hex digits. */
  containerId: `0x${string}`;
  siteId: `0x${string}`;
  streamId: `0x${string}`;
  periodStartMs: number;
  periodEndMs: number;
  revision: number;
  /** Decimal token id of the container this revision corrects, "0" for none. */
  supersedes: string;
  cid: string;
  /** JSON of the EIP-712 header, bigints as decimal strings (containerHeaderJson). */
  header: string;
  headerHash: `0x${string}`;
  readingCount: number;
  readingIdHigh: number;
  energyFlags: string[];
  state: ContainerState;
  batchRef: number | null;
  closedAtMs: number;
  storedAtMs: number | null;
  submittedAtMs: number | null;
  confirmedAtMs: number | null;
  confirmedBlock: number | null;
  attempts: number;
  nextAttemptAtMs: number;
  lastError: string | null;
  lateReadingCount: number;
}

interface ContainerRow {
  container_ref: number;
  container_id: string;
  site_id: string;
  stream_id: string;
  period_start_ms: number;
  period_end_ms: number;
  revision: number;
  supersedes: string;
  cid: string;
  header: string;
  header_hash: string;
  reading_count: number;
  reading_id_high: number;
  energy_flags: string;
  state: ContainerState;
  batch_ref: number | null;
  closed_at_ms: number;
  stored_at_ms: number | null;
  submitted_at_ms: number | null;
  confirmed_at_ms: number | null;
  confirmed_block: number | null;
  attempts: number;
  next_attempt_at_ms: number;
  last_error: string | null;
  late_reading_count: number;
}

/** Every column but the document, which only the IPFS step reads. */
const COLUMNS = `container_ref, container_id, site_id, stream_id, period_start_ms, period_end_ms, revision,
  supersedes, cid, header, header_hash, reading_count, reading_id_high, energy_flags, state, batch_ref,
  closed_at_ms, stored_at_ms, submitted_at_ms, confirmed_at_ms, confirmed_block, attempts,
  next_attempt_at_ms, last_error, late_reading_count`;

function toRecord(row: ContainerRow): ContainerRecord {
  return {
    containerRef: row.container_ref,
    containerId: row.container_id as `0x${string}`,
    siteId: row.site_id as `0x${string}`,
    streamId: row.stream_id as `0x${string}`,
    periodStartMs: row.period_start_ms,
    periodEndMs: row.period_end_ms,
    revision: row.revision,
    supersedes: row.supersedes,
    cid: row.cid,
    header: row.header,
    headerHash: row.header_hash as `0x${string}`,
    readingCount: row.reading_count,
    readingIdHigh: row.reading_id_high,
    energyFlags: JSON.parse(row.energy_flags) as string[],
    state: row.state,
    batchRef: row.batch_ref,
    closedAtMs: row.closed_at_ms,
    storedAtMs: row.stored_at_ms,
    submittedAtMs: row.submitted_at_ms,
    confirmedAtMs: row.confirmed_at_ms,
    confirmedBlock: row.confirmed_block,
    attempts: row.attempts,
    nextAttemptAtMs: row.next_attempt_at_ms,
    lastError: row.last_error,
    lateReadingCount: row.late_reading_count,
  };
}

/** A closed period's container, as the closer inserts it. */
export interface NewContainer {
  containerId: `0x${string}`;
  siteId: `0x${string}`;
  streamId: `0x${string}`;
  periodStartMs: number;
  periodEndMs: number;
  revision: number;
  supersedes: string;
  cid: string;
  header: string;
  headerHash: `0x${string}`;
  document: Uint8Array;
  readingCount: number;
  readingIdHigh: number;
  energyFlags: readonly string[];
}

export interface ContainerListFilter {
  siteId?: string | undefined;
  streamId?: string | undefined;
  state?: ContainerState | undefined;
  periodStartMs?: number | undefined;
  /** Containers with a container_ref below this one (pagination, newest first). */
  beforeRef?: number | undefined;
  limit: number;
}

/** The `containers` table: one row per (site, stream, period, revision), and its anchoring state. */
export class ContainersRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Inserts a closed period's container. Call inside the transaction that
   * advances the stream cursor. The UNIQUE (site, stream, period, revision) and
   * container_id constraints make a second build of the same period fail
   * rather than exist twice.
   */
  insert(container: NewContainer, nowMs: number): number {
    const result = this.#db
      .prepare(
        `INSERT INTO containers (container_id, site_id, stream_id, period_start_ms, period_end_ms, revision, supersedes,
           cid, header, header_hash, document, reading_count, reading_id_high, energy_flags, state, closed_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'built', ?)`,
      )
      .run(
        container.containerId,
        container.siteId,
        container.streamId,
        container.periodStartMs,
        container.periodEndMs,
        container.revision,
        container.supersedes,
        container.cid,
        container.header,
        container.headerHash,
        container.document,
        container.readingCount,
        container.readingIdHigh,
        JSON.stringify(container.energyFlags),
        nowMs,
      );
    return Number(result.lastInsertRowid);
  }

  get(containerRef: number): ContainerRecord | undefined {
    const row = this.#db
      .prepare(`SELECT ${COLUMNS} FROM containers WHERE container_ref = ?`)
      .get(containerRef) as ContainerRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  getById(containerId: string): ContainerRecord | undefined {
    const row = this.#db
      .prepare(`SELECT ${COLUMNS} FROM containers WHERE container_id = ?`)
      .get(containerId) as ContainerRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  document(containerRef: number): Uint8Array {
    const row = this.#db
      .prepare("SELECT document FROM containers WHERE container_ref = ?")
      .get(containerRef) as { document: Uint8Array } | undefined;
    if (row === undefined) throw new InvariantError(`container ${containerRef} does not exist`);
    return row.document;
  }

  list(filter: ContainerListFilter): ContainerRecord[] {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (filter.siteId !== undefined) {
      where.push("site_id = ?");
      values.push(filter.siteId);
    }
    if (filter.streamId !== undefined) {
      where.push("stream_id = ?");
      values.push(filter.streamId);
    }
    if (filter.state !== undefined) {
      where.push("state = ?");
      values.push(filter.state);
    }
    if (filter.periodStartMs !== undefined) {
      where.push("period_start_ms = ?");
      values.push(filter.periodStartMs);
    }
    if (filter.beforeRef !== undefined) {
      where.push("container_ref < ?");
      values.push(filter.beforeRef);
    }
    const sql = `SELECT ${COLUMNS} FROM containers ${where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`}
      ORDER BY container_ref DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...values, filter.limit) as ContainerRow[]).map(toRecord);
  }

  /** Containers in `state` whose backoff has run out, oldest first. */
  due(state: ContainerState, nowMs: number, limit: number): ContainerRecord[] {
    return (
      this.#db
        .prepare(
          `SELECT ${COLUMNS} FROM containers WHERE state = ? AND next_attempt_at_ms <= ? ORDER BY container_ref LIMIT ?`,
        )
        .all(state, nowMs, limit) as ContainerRow[]
    ).map(toRecord);
  }

  inBatch(batchRef: number): ContainerRecord[] {
    return (
      this.#db
        .prepare(`SELECT ${COLUMNS} FROM containers WHERE batch_ref = ? ORDER BY container_ref`)
        .all(batchRef) as ContainerRow[]
    ).map(toRecord);
  }

  markStored(containerRef: number, nowMs: number): void {
    this.#db
      .prepare(
        "UPDATE containers SET state = 'stored', stored_at_ms = ?, attempts = 0, next_attempt_at_ms = 0, last_error = NULL WHERE container_ref = ? AND state = 'built'",
      )
      .run(nowMs, containerRef);
  }

  /** Records a failed step; the container is tried again at `nextAttemptAtMs`. */
  recordFailure(containerRef: number, error: string, nextAttemptAtMs: number): void {
    this.#db
      .prepare(
        "UPDATE containers SET attempts = attempts + 1, last_error = ?, next_attempt_at_ms = ? WHERE container_ref = ?",
      )
      .run(error.slice(0, 2000), nextAttemptAtMs, containerRef);
  }

  /** Marks containers confirmed at `block` (their batch's transaction, or chain state for an unknown one). */
  markConfirmed(containerRefs: readonly number[], block: number, nowMs: number): void {
    const statement = this.#db.prepare(
      "UPDATE containers SET state = 'confirmed', confirmed_at_ms = ?, confirmed_block = ?, last_error = NULL WHERE container_ref = ? AND state <> 'confirmed'",
    );
    this.#db.transaction(() => {
      for (const ref of containerRefs) statement.run(nowMs, block, ref);
    })();
  }

  /** Puts submitted containers back in the queue (their transaction was dropped or replaced without them). */
  returnToStored(containerRefs: readonly number[], error: string): void {
    const statement = this.#db.prepare(
      "UPDATE containers SET state = 'stored', batch_ref = NULL, submitted_at_ms = NULL, last_error = ? WHERE container_ref = ? AND state = 'submitted'",
    );
    this.#db.transaction(() => {
      for (const ref of containerRefs) statement.run(error.slice(0, 2000), ref);
    })();
  }

  /** Adds late readings (ingested after the close, timestamped inside the period) to the count. */
  addLateReadings(containerRef: number, count: number): void {
    this.#db
      .prepare(
        "UPDATE containers SET late_reading_count = late_reading_count + ? WHERE container_ref = ?",
      )
      .run(count, containerRef);
  }

  countByState(): Record<ContainerState, number> {
    const counts: Record<ContainerState, number> = {
      built: 0,
      stored: 0,
      submitted: 0,
      confirmed: 0,
    };
    const rows = this.#db
      .prepare("SELECT state, count(*) AS n FROM containers GROUP BY state")
      .all() as {
      state: ContainerState;
      n: number;
    }[];
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  /** The end of the oldest period not yet confirmed, or undefined when all are (anchoring lag). */
  oldestUnconfirmedPeriodEndMs(): number | undefined {
    const row = this.#db
      .prepare("SELECT min(period_end_ms) AS endMs FROM containers WHERE state <> 'confirmed'")
      .get() as { endMs: number | null };
    return row.endMs ?? undefined;
  }
}
