import type { Database } from "better-sqlite3";

export type AnchorBatchState = "submitted" | "mined" | "confirmed" | "abandoned";

export interface AnchorTransactionRecord {
  txHash: `0x${string}`;
  batchRef: number;
  nonce: number;
  /** The signed raw transaction: re-broadcast as is after a crash or a drop. */
  raw: `0x${string}`;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  signedAtMs: number;
  broadcastAtMs: number | null;
}

export interface AnchorBatchRecord {
  batchRef: number;
  siteId: `0x${string}`;
  signer: `0x${string}`;
  nonce: number;
  signature: `0x${string}`;
  state: AnchorBatchState;
  createdAtMs: number;
  minedTxHash: `0x${string}` | null;
  minedBlockNumber: number | null;
  minedBlockHash: `0x${string}` | null;
  confirmedAtMs: number | null;
  note: string | null;
  transactions: AnchorTransactionRecord[];
}

interface BatchRow {
  batch_ref: number;
  site_id: string;
  signer: string;
  nonce: number;
  signature: string;
  state: AnchorBatchState;
  created_at_ms: number;
  mined_tx_hash: string | null;
  mined_block_number: number | null;
  mined_block_hash: string | null;
  confirmed_at_ms: number | null;
  note: string | null;
}

interface TransactionRow {
  tx_hash: string;
  batch_ref: number;
  nonce: number;
  raw: string;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  signed_at_ms: number;
  broadcast_at_ms: number | null;
}

export interface SignedAnchorTransaction {
  txHash: `0x${string}`;
  nonce: number;
  raw: `0x${string}`;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/**
 * The `anchor_batches` and `anchor_transactions` tables: one oracle signature
 * over many container headers, the nonce it is sent with, and every signed
 * transaction for that nonce. The transitions that touch containers too run in
 * one SQLite transaction, so a crash never leaves a container pointing at a
 * batch that was not recorded (or the reverse).
 */
export class AnchorBatchesRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Records a batch and its first signed transaction and moves its containers
   * to `submitted`, before anything is broadcast: whatever happens after this
   * commit, a restart finds the transaction's hash and raw bytes.
   */
  create(
    batch: { siteId: string; signer: string; signature: string; containerRefs: readonly number[] },
    transaction: SignedAnchorTransaction,
    nowMs: number,
  ): number {
    return this.#db.transaction(() => {
      const batchRef = Number(
        this.#db
          .prepare(
            "INSERT INTO anchor_batches (site_id, signer, nonce, signature, state, created_at_ms) VALUES (?, ?, ?, ?, 'submitted', ?)",
          )
          .run(batch.siteId, batch.signer, transaction.nonce, batch.signature, nowMs)
          .lastInsertRowid,
      );
      this.#insertTransaction(batchRef, transaction, nowMs);
      const update = this.#db.prepare(
        "UPDATE containers SET state = 'submitted', batch_ref = ?, submitted_at_ms = ? WHERE container_ref = ? AND state = 'stored'",
      );
      for (const ref of batch.containerRefs) {
        if (update.run(batchRef, nowMs, ref).changes !== 1) {
          throw new Error(`container ${ref} is no longer stored; batch not recorded`);
        }
      }
      return batchRef;
    })();
  }

  /** A fee-bumped replacement for the same nonce. */
  addTransaction(batchRef: number, transaction: SignedAnchorTransaction, nowMs: number): void {
    this.#insertTransaction(batchRef, transaction, nowMs);
  }

  #insertTransaction(batchRef: number, transaction: SignedAnchorTransaction, nowMs: number): void {
    this.#db
      .prepare(
        `INSERT INTO anchor_transactions (tx_hash, batch_ref, nonce, raw, max_fee_per_gas, max_priority_fee_per_gas, signed_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        transaction.txHash,
        batchRef,
        transaction.nonce,
        transaction.raw,
        transaction.maxFeePerGas.toString(),
        transaction.maxPriorityFeePerGas.toString(),
        nowMs,
      );
  }

  markBroadcast(txHash: string, nowMs: number): void {
    this.#db
      .prepare("UPDATE anchor_transactions SET broadcast_at_ms = ? WHERE tx_hash = ?")
      .run(nowMs, txHash);
  }

  /** Batches still to be watched (submitted or mined but not yet deep enough), oldest first. */
  open(): AnchorBatchRecord[] {
    const rows = this.#db
      .prepare(
        "SELECT * FROM anchor_batches WHERE state IN ('submitted','mined') ORDER BY batch_ref",
      )
      .all() as BatchRow[];
    return rows.map((row) => this.#withTransactions(row));
  }

  get(batchRef: number): AnchorBatchRecord | undefined {
    const row = this.#db
      .prepare("SELECT * FROM anchor_batches WHERE batch_ref = ?")
      .get(batchRef) as BatchRow | undefined;
    return row === undefined ? undefined : this.#withTransactions(row);
  }

  /** Transaction hashes of a batch, newest first. */
  #withTransactions(row: BatchRow): AnchorBatchRecord {
    const transactions = (
      this.#db
        .prepare(
          "SELECT * FROM anchor_transactions WHERE batch_ref = ? ORDER BY signed_at_ms DESC, rowid DESC",
        )
        .all(row.batch_ref) as TransactionRow[]
    ).map((tx): AnchorTransactionRecord => ({
      txHash: tx.tx_hash as `0x${string}`,
      batchRef: tx.batch_ref,
      nonce: tx.nonce,
      raw: tx.raw as `0x${string}`,
      maxFeePerGas: BigInt(tx.max_fee_per_gas),
      maxPriorityFeePerGas: BigInt(tx.max_priority_fee_per_gas),
      signedAtMs: tx.signed_at_ms,
      broadcastAtMs: tx.broadcast_at_ms,
    }));
    return {
      batchRef: row.batch_ref,
      siteId: row.site_id as `0x${string}`,
      signer: row.signer as `0x${string}`,
      nonce: row.nonce,
      signature: row.signature as `0x${string}`,
      state: row.state,
      createdAtMs: row.created_at_ms,
      minedTxHash: row.mined_tx_hash as `0x${string}` | null,
      minedBlockNumber: row.mined_block_number,
      minedBlockHash: row.mined_block_hash as `0x${string}` | null,
      confirmedAtMs: row.confirmed_at_ms,
      note: row.note,
      transactions,
    };
  }

  /** One of the batch's transactions is in a block (not yet deep enough to be final). */
  markMined(
    batchRef: number,
    mined: { txHash: string; blockNumber: number; blockHash: string },
  ): void {
    this.#db
      .prepare(
        "UPDATE anchor_batches SET state = 'mined', mined_tx_hash = ?, mined_block_number = ?, mined_block_hash = ? WHERE batch_ref = ?",
      )
      .run(mined.txHash, mined.blockNumber, mined.blockHash, batchRef);
  }

  /** The block holding the batch left the canonical chain (a reorg): watch it again from scratch. */
  markUnmined(batchRef: number, note: string): void {
    this.#db
      .prepare(
        "UPDATE anchor_batches SET state = 'submitted', mined_tx_hash = NULL, mined_block_number = NULL, mined_block_hash = NULL, note = ? WHERE batch_ref = ?",
      )
      .run(note, batchRef);
  }

  /** The batch is final: it and all its containers are confirmed, in one transaction. */
  confirm(batchRef: number, blockNumber: number, nowMs: number): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          "UPDATE anchor_batches SET state = 'confirmed', confirmed_at_ms = ? WHERE batch_ref = ?",
        )
        .run(nowMs, batchRef);
      this.#db
        .prepare(
          "UPDATE containers SET state = 'confirmed', confirmed_at_ms = ?, confirmed_block = ?, last_error = NULL WHERE batch_ref = ? AND state = 'submitted'",
        )
        .run(nowMs, blockNumber, batchRef);
    })();
  }

  /**
   * The batch's nonce went to another transaction, or the batch reverted:
   * containers found on chain (with our commitment) are confirmed, the others
   * go back to `stored` to be sent again in a new batch.
   */
  abandon(
    batchRef: number,
    note: string,
    outcome: {
      confirmedRefs: readonly number[];
      confirmedBlock: number;
      requeueRefs: readonly number[];
    },
    nowMs: number,
  ): void {
    this.#db.transaction(() => {
      this.#db
        .prepare("UPDATE anchor_batches SET state = 'abandoned', note = ? WHERE batch_ref = ?")
        .run(note, batchRef);
      const confirm = this.#db.prepare(
        "UPDATE containers SET state = 'confirmed', confirmed_at_ms = ?, confirmed_block = ?, last_error = NULL WHERE container_ref = ? AND batch_ref = ?",
      );
      for (const ref of outcome.confirmedRefs)
        confirm.run(nowMs, outcome.confirmedBlock, ref, batchRef);
      const requeue = this.#db.prepare(
        "UPDATE containers SET state = 'stored', batch_ref = NULL, submitted_at_ms = NULL, attempts = attempts + 1, last_error = ? WHERE container_ref = ? AND batch_ref = ?",
      );
      for (const ref of outcome.requeueRefs) requeue.run(note.slice(0, 2000), ref, batchRef);
    })();
  }
}
