import type { Database } from "better-sqlite3";
import type { Hex } from "viem";
import { InvariantError } from "@energy-intelligence/sdk";

export const LOT_STATES = ["pending", "signed", "submitted", "minted", "failed"] as const;
export type LotState = (typeof LOT_STATES)[number];

export interface LotRecord {
  /** ProductLots token id, 0x + 64 hex. */
  lotId: Hex;
  siteId: Hex;
  productId: Hex;
  jobIds: Hex[];
  state: LotState;
  createdAtMs: number;
  cid: string | null;
  /** JSON of the signed Footprint, bigints as decimal strings. */
  footprint: string | null;
  signature: Hex | null;
  txHash: Hex | null;
  mintedBlock: number | null;
  attempts: number;
  nextAttemptAtMs: number;
  lastError: string | null;
}

interface LotRow {
  lot_id: string;
  site_id: string;
  product_id: string;
  job_ids: string;
  state: LotState;
  created_at_ms: number;
  cid: string | null;
  footprint: string | null;
  signature: string | null;
  tx_hash: string | null;
  minted_block: number | null;
  attempts: number;
  next_attempt_at_ms: number;
  last_error: string | null;
}

const COLUMNS = `lot_id, site_id, product_id, job_ids, state, created_at_ms, cid, footprint, signature, tx_hash,
  minted_block, attempts, next_attempt_at_ms, last_error`;

function toRecord(row: LotRow): LotRecord {
  return {
    lotId: row.lot_id as Hex,
    siteId: row.site_id as Hex,
    productId: row.product_id as Hex,
    jobIds: JSON.parse(row.job_ids) as Hex[],
    state: row.state,
    createdAtMs: row.created_at_ms,
    cid: row.cid,
    footprint: row.footprint,
    signature: row.signature as Hex | null,
    txHash: row.tx_hash as Hex | null,
    mintedBlock: row.minted_block,
    attempts: row.attempts,
    nextAttemptAtMs: row.next_attempt_at_ms,
    lastError: row.last_error,
  };
}

/** The `product_lots` and `lot_watch` tables (migration 0005). */
export class ProductLotsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
    const table = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'product_lots'")
      .get();
    if (table === undefined) {
      throw new InvariantError("the store has no product_lots table", {
        hints: ["Apply migration 0005 (product-lots): oracle/src/store/migrations."],
      });
    }
  }

  /** The first block not yet read for JobStopped events, or undefined before the first pass. */
  nextBlock(jobsAddress: Hex): number | undefined {
    const row = this.#db
      .prepare("SELECT next_block FROM lot_watch WHERE jobs_address = ?")
      .get(jobsAddress.toLowerCase()) as { next_block: number } | undefined;
    return row?.next_block;
  }

  /**
   * Records lots asked for by the events of blocks up to `nextBlock - 1` and moves the cursor, in one
   * transaction: an event is turned into a lot once, whatever crashes. A lot already known is left as is.
   */
  recordPass(
    jobsAddress: Hex,
    nextBlock: number,
    lots: readonly { lotId: Hex; siteId: Hex; productId: Hex; jobIds: readonly Hex[] }[],
    nowMs: number,
  ): number {
    const insert = this.#db.prepare(
      "INSERT OR IGNORE INTO product_lots (lot_id, site_id, product_id, job_ids, state, created_at_ms) VALUES (?, ?, ?, ?, 'pending', ?)",
    );
    const cursor = this.#db.prepare(
      "INSERT INTO lot_watch (jobs_address, next_block) VALUES (?, ?) ON CONFLICT (jobs_address) DO UPDATE SET next_block = excluded.next_block",
    );
    let created = 0;
    this.#db.transaction(() => {
      for (const lot of lots) {
        created += insert.run(
          lot.lotId,
          lot.siteId.toLowerCase(),
          lot.productId.toLowerCase(),
          JSON.stringify(lot.jobIds.map((id) => id.toLowerCase())),
          nowMs,
        ).changes;
      }
      cursor.run(jobsAddress.toLowerCase(), nextBlock);
    })();
    return created;
  }

  /** Adds a lot by hand (several jobs in one lot); no-op when it exists. */
  request(
    lot: { lotId: Hex; siteId: Hex; productId: Hex; jobIds: readonly Hex[] },
    nowMs: number,
  ): boolean {
    return (
      this.#db
        .prepare(
          "INSERT OR IGNORE INTO product_lots (lot_id, site_id, product_id, job_ids, state, created_at_ms) VALUES (?, ?, ?, ?, 'pending', ?)",
        )
        .run(
          lot.lotId,
          lot.siteId.toLowerCase(),
          lot.productId.toLowerCase(),
          JSON.stringify(lot.jobIds.map((id) => id.toLowerCase())),
          nowMs,
        ).changes === 1
    );
  }

  get(lotId: Hex): LotRecord | undefined {
    const row = this.#db
      .prepare(`SELECT ${COLUMNS} FROM product_lots WHERE lot_id = ?`)
      .get(lotId) as LotRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  document(lotId: Hex): Uint8Array | undefined {
    const row = this.#db
      .prepare("SELECT document FROM product_lots WHERE lot_id = ?")
      .get(lotId) as { document: Uint8Array | null } | undefined;
    return row?.document ?? undefined;
  }

  /** Lots whose next step is due, oldest first. */
  due(nowMs: number, limit: number): LotRecord[] {
    return (
      this.#db
        .prepare(
          `SELECT ${COLUMNS} FROM product_lots WHERE state IN ('pending','signed','submitted') AND next_attempt_at_ms <= ? ORDER BY created_at_ms, lot_id LIMIT ?`,
        )
        .all(nowMs, limit) as LotRow[]
    ).map(toRecord);
  }

  list(limit: number): LotRecord[] {
    return (
      this.#db
        .prepare(`SELECT ${COLUMNS} FROM product_lots ORDER BY created_at_ms DESC, lot_id LIMIT ?`)
        .all(limit) as LotRow[]
    ).map(toRecord);
  }

  /** Every minted lot's id, oldest first. */
  mintedIds(): Hex[] {
    return (
      this.#db
        .prepare(
          "SELECT lot_id AS lotId FROM product_lots WHERE state = 'minted' ORDER BY created_at_ms, lot_id",
        )
        .all() as { lotId: Hex }[]
    ).map((row) => row.lotId);
  }

  /** pending → signed: the document, the Footprint and its signature, kept before anything is sent. */
  markSigned(
    lotId: Hex,
    signed: { cid: string; document: Uint8Array; footprint: string; signature: Hex },
  ): void {
    this.#db
      .prepare(
        "UPDATE product_lots SET state = 'signed', cid = ?, document = ?, footprint = ?, signature = ?, attempts = 0, next_attempt_at_ms = 0, last_error = NULL WHERE lot_id = ? AND state = 'pending'",
      )
      .run(signed.cid, signed.document, signed.footprint, signed.signature, lotId);
  }

  markSubmitted(lotId: Hex, txHash: Hex): void {
    this.#db
      .prepare(
        "UPDATE product_lots SET state = 'submitted', tx_hash = ? WHERE lot_id = ? AND state IN ('signed','submitted')",
      )
      .run(txHash, lotId);
  }

  markMinted(lotId: Hex, block: number): void {
    this.#db
      .prepare(
        "UPDATE product_lots SET state = 'minted', minted_block = ?, last_error = NULL WHERE lot_id = ? AND state <> 'minted'",
      )
      .run(block, lotId);
  }

  markFailed(lotId: Hex, error: string): void {
    this.#db
      .prepare(
        "UPDATE product_lots SET state = 'failed', last_error = ? WHERE lot_id = ? AND state <> 'minted'",
      )
      .run(error.slice(0, 2000), lotId);
  }

  /** Records why a step must wait (data not anchored yet, chain down) and when to try again. */
  recordWait(lotId: Hex, reason: string, nextAttemptAtMs: number): void {
    this.#db
      .prepare(
        "UPDATE product_lots SET attempts = attempts + 1, last_error = ?, next_attempt_at_ms = ? WHERE lot_id = ?",
      )
      .run(reason.slice(0, 2000), nextAttemptAtMs, lotId);
  }
}
