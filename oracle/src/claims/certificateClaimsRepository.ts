import type { Database, Statement } from "better-sqlite3";
import type { Hex } from "viem";

export type ClaimState = "queued" | "submitted" | "confirmed" | "refused";

/** One certificate claim of one container period (table `certificate_claims`, migration 0010). */
export interface StoredClaim {
  claimRef: number;
  siteId: Hex;
  streamId: Hex;
  periodStartMs: number;
  periodEndMs: number;
  certificateId: string;
  certificateKey: Hex;
  wattHours: bigint;
  state: ClaimState;
  attempts: number;
  lastError: string | null;
  rawTransaction: Hex | null;
  txHash: Hex | null;
  reason: string | null;
}

interface Row {
  claim_ref: number;
  site_id: string;
  stream_id: string;
  period_start_ms: number;
  period_end_ms: number;
  certificate_id: string;
  certificate_key: string;
  watt_hours: string;
  state: ClaimState;
  attempts: number;
  last_error: string | null;
  raw_transaction: string | null;
  tx_hash: string | null;
  reason: string | null;
}

function fromRow(row: Row): StoredClaim {
  return {
    claimRef: row.claim_ref,
    siteId: row.site_id as Hex,
    streamId: row.stream_id as Hex,
    periodStartMs: row.period_start_ms,
    periodEndMs: row.period_end_ms,
    certificateId: row.certificate_id,
    certificateKey: row.certificate_key as Hex,
    wattHours: BigInt(row.watt_hours),
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    rawTransaction: row.raw_transaction as Hex | null,
    txHash: row.tx_hash as Hex | null,
    reason: row.reason,
  };
}

/** The gateway's certificate claims: the durable queue the claim submitter works from. */
export class CertificateClaimsRepository {
  readonly #db: Database;
  readonly #insert: Statement;
  readonly #ofPeriod: Statement;
  readonly #due: Statement;
  readonly #unsettledOf: Statement;

  constructor(db: Database) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT OR IGNORE INTO certificate_claims
         (site_id, stream_id, period_start_ms, period_end_ms, certificate_id, certificate_key,
          watt_hours, state, created_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)`,
    );
    this.#ofPeriod = db.prepare(
      `SELECT * FROM certificate_claims WHERE site_id = ? AND stream_id = ? AND period_start_ms = ?
       ORDER BY claim_ref`,
    );
    this.#due = db.prepare(
      `SELECT * FROM certificate_claims
       WHERE state IN ('queued', 'submitted') AND next_attempt_at_ms <= ? ORDER BY claim_ref LIMIT ?`,
    );
    this.#unsettledOf = db.prepare(
      `SELECT watt_hours FROM certificate_claims
       WHERE certificate_key = ? AND state IN ('queued', 'submitted')`,
    );
  }

  /**
   * Queues a period's claims in one transaction; a claim already queued for the same
   * (site, stream, period, certificate) stays as it is (a restart never claims twice).
   */
  queuePeriod(
    period: { siteId: Hex; streamId: Hex; periodStartMs: number; periodEndMs: number },
    claims: readonly { certificateId: string; certificateKey: Hex; wattHours: bigint }[],
    nowMs: number,
  ): void {
    this.#db.transaction(() => {
      for (const claim of claims)
        this.#insert.run(
          period.siteId,
          period.streamId,
          period.periodStartMs,
          period.periodEndMs,
          claim.certificateId,
          claim.certificateKey,
          claim.wattHours.toString(),
          nowMs,
        );
    })();
  }

  ofPeriod(siteId: Hex, streamId: Hex, periodStartMs: number): StoredClaim[] {
    return (this.#ofPeriod.all(siteId, streamId, periodStartMs) as Row[]).map(fromRow);
  }

  /** Queued or submitted claims whose next attempt is due, oldest first. */
  due(nowMs: number, limit: number): StoredClaim[] {
    return (this.#due.all(nowMs, limit) as Row[]).map(fromRow);
  }

  /** Watt-hours of a certificate this gateway has asked for and the chain has not settled yet. */
  unsettledWattHours(certificateKey: Hex): bigint {
    return (this.#unsettledOf.all(certificateKey) as { watt_hours: string }[]).reduce(
      (sum, row) => sum + BigInt(row.watt_hours),
      0n,
    );
  }

  /** Stores the signed transaction before it is broadcast, so a restart re-sends this one. */
  markSubmitted(claimRef: number, rawTransaction: Hex, txHash: Hex): void {
    this.#db
      .prepare(
        `UPDATE certificate_claims SET state = 'submitted', raw_transaction = ?, tx_hash = ?,
           attempts = attempts + 1 WHERE claim_ref = ?`,
      )
      .run(rawTransaction, txHash, claimRef);
  }

  markConfirmed(
    claimRef: number,
    blockNumber: bigint,
    remainingWattHours: bigint | undefined,
    nowMs: number,
  ): void {
    this.#db
      .prepare(
        `UPDATE certificate_claims SET state = 'confirmed', block_number = ?, remaining_watt_hours = ?,
           settled_at_ms = ?, last_error = NULL WHERE claim_ref = ?`,
      )
      .run(Number(blockNumber), remainingWattHours?.toString() ?? null, nowMs, claimRef);
  }

  /** The contract refused the claim: final, with its reason; the container counts none of it. */
  markRefused(
    claimRef: number,
    reason: string,
    remainingWattHours: bigint | undefined,
    nowMs: number,
  ): void {
    this.#db
      .prepare(
        `UPDATE certificate_claims SET state = 'refused', reason = ?, remaining_watt_hours = ?,
           settled_at_ms = ? WHERE claim_ref = ?`,
      )
      .run(reason, remainingWattHours?.toString() ?? null, nowMs, claimRef);
  }

  /** A send that failed for a passing reason (node down): retried after `retryAtMs`. */
  markRetry(claimRef: number, error: string, retryAtMs: number, requeue: boolean): void {
    this.#db
      .prepare(
        `UPDATE certificate_claims SET last_error = ?, next_attempt_at_ms = ?,
           state = CASE WHEN ? THEN 'queued' ELSE state END,
           raw_transaction = CASE WHEN ? THEN NULL ELSE raw_transaction END,
           tx_hash = CASE WHEN ? THEN NULL ELSE tx_hash END
         WHERE claim_ref = ?`,
      )
      .run(error, retryAtMs, requeue ? 1 : 0, requeue ? 1 : 0, requeue ? 1 : 0, claimRef);
  }
}
