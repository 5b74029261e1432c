import type { Database, Statement } from "better-sqlite3";
import type { Hex } from "viem";

export const STAMP_STATES = ["queued", "submitted", "confirmed", "failed"] as const;
export type StampState = (typeof STAMP_STATES)[number];
export const JOB_STATES = ["running", "stopped", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A stamp as the gateway keeps it: the signed EIP-712 fields plus where and when it came from. */
export interface StampRecord {
  stampRef: number;
  siteId: Hex;
  jobId: Hex;
  action: 1 | 2;
  machineIds: Hex[];
  productId: Hex;
  units: number;
  /** The signed time, Unix seconds. */
  timeS: number;
  channel: number;
  signer: Hex;
  nonce: bigint;
  signature: Hex;
  receivedAtMs: number;
  claimedAtMs: number | null;
  correctionReason: string | null;
  source: string;
  state: StampState;
  attempts: number;
  nextAttemptAtMs: number;
  lastError: string | null;
  txHash: Hex | null;
  blockNumber: number | null;
  confirmedAtMs: number | null;
}

export type NewStamp = Omit<
  StampRecord,
  | "stampRef"
  | "state"
  | "attempts"
  | "nextAttemptAtMs"
  | "lastError"
  | "txHash"
  | "blockNumber"
  | "confirmedAtMs"
>;

export interface JobRecord {
  siteId: Hex;
  jobId: Hex;
  reference: string | null;
  productId: Hex;
  machineIds: Hex[];
  state: JobState;
  startedAtS: number;
  stoppedAtS: number | null;
  units: number | null;
  startStampRef: number | null;
  stopStampRef: number | null;
  origin: "gateway" | "chain";
  channel: number;
  createdAtMs: number;
}

interface StampRow {
  stamp_ref: number;
  site_id: string;
  job_id: string;
  action: number;
  machine_ids: string;
  product_id: string;
  units: number;
  time_s: number;
  channel: number;
  signer: string;
  nonce: string;
  signature: string;
  received_at_ms: number;
  claimed_at_ms: number | null;
  correction_reason: string | null;
  source: string;
  state: StampState;
  attempts: number;
  next_attempt_at_ms: number;
  last_error: string | null;
  tx_hash: string | null;
  block_number: number | null;
  confirmed_at_ms: number | null;
}

interface JobRow {
  site_id: string;
  job_id: string;
  reference: string | null;
  product_id: string;
  machine_ids: string;
  state: JobState;
  started_at_s: number;
  stopped_at_s: number | null;
  units: number | null;
  start_stamp_ref: number | null;
  stop_stamp_ref: number | null;
  origin: "gateway" | "chain";
  channel: number;
  created_at_ms: number;
}

function stampFromRow(row: StampRow): StampRecord {
  return {
    stampRef: row.stamp_ref,
    siteId: row.site_id as Hex,
    jobId: row.job_id as Hex,
    action: row.action === 1 ? 1 : 2,
    machineIds: JSON.parse(row.machine_ids) as Hex[],
    productId: row.product_id as Hex,
    units: row.units,
    timeS: row.time_s,
    channel: row.channel,
    signer: row.signer as Hex,
    nonce: BigInt(row.nonce),
    signature: row.signature as Hex,
    receivedAtMs: row.received_at_ms,
    claimedAtMs: row.claimed_at_ms,
    correctionReason: row.correction_reason,
    source: row.source,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAtMs: row.next_attempt_at_ms,
    lastError: row.last_error,
    txHash: row.tx_hash as Hex | null,
    blockNumber: row.block_number,
    confirmedAtMs: row.confirmed_at_ms,
  };
}

function jobFromRow(row: JobRow): JobRecord {
  return {
    siteId: row.site_id as Hex,
    jobId: row.job_id as Hex,
    reference: row.reference,
    productId: row.product_id as Hex,
    machineIds: JSON.parse(row.machine_ids) as Hex[],
    state: row.state,
    startedAtS: row.started_at_s,
    stoppedAtS: row.stopped_at_s,
    units: row.units,
    startStampRef: row.start_stamp_ref,
    stopStampRef: row.stop_stamp_ref,
    origin: row.origin,
    channel: row.channel,
    createdAtMs: row.created_at_ms,
  };
}

/** Ids are kept lower-case so that a lookup never misses on checksum casing. */
const lower = (value: string): string => value.toLowerCase();

/**
 * The stamps, jobs and busy machines of migration 0006. Every method that
 * changes more than one row runs in one SQLite transaction, so a start is
 * either queued with its job and its busy machines, or not at all.
 */
export class JobsRepository {
  readonly #db: Database;
  readonly #insertStamp: Statement;
  readonly #insertJob: Statement;
  readonly #insertBusy: Statement;
  readonly #releaseBusy: Statement;
  readonly #getJob: Statement;
  readonly #getStamp: Statement;
  readonly #busyJob: Statement;

  constructor(db: Database) {
    this.#db = db;
    this.#insertStamp = db.prepare(
      `INSERT INTO job_stamps (site_id, job_id, action, machine_ids, product_id, units, time_s, channel,
         signer, nonce, signature, received_at_ms, claimed_at_ms, correction_reason, source, state)
       VALUES (@site_id, @job_id, @action, @machine_ids, @product_id, @units, @time_s, @channel,
         @signer, @nonce, @signature, @received_at_ms, @claimed_at_ms, @correction_reason, @source, 'queued')`,
    );
    this.#insertJob = db.prepare(
      `INSERT INTO jobs (site_id, job_id, reference, product_id, machine_ids, state, started_at_s,
         start_stamp_ref, origin, channel, created_at_ms)
       VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
    );
    this.#insertBusy = db.prepare(
      "INSERT OR IGNORE INTO busy_machines (site_id, machine_id, job_id) VALUES (?, ?, ?)",
    );
    this.#releaseBusy = db.prepare("DELETE FROM busy_machines WHERE site_id = ? AND job_id = ?");
    this.#getJob = db.prepare("SELECT * FROM jobs WHERE site_id = ? AND job_id = ?");
    this.#getStamp = db.prepare("SELECT * FROM job_stamps WHERE stamp_ref = ?");
    this.#busyJob = db.prepare(
      "SELECT job_id FROM busy_machines WHERE site_id = ? AND machine_id = ?",
    );
  }

  get db(): Database {
    return this.#db;
  }

  /**
   * Runs `work` in one SQLite transaction (nested calls join the outer one). IMMEDIATE: work often
   * reads before it writes, and the ingest worker writes the same file through its own connection;
   * a deferred transaction would fail with SQLITE_BUSY at its first write instead of waiting.
   */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work).immediate();
  }

  #insert(stamp: NewStamp): number {
    const result = this.#insertStamp.run({
      site_id: lower(stamp.siteId),
      job_id: lower(stamp.jobId),
      action: stamp.action,
      machine_ids: JSON.stringify(stamp.machineIds.map(lower)),
      product_id: lower(stamp.productId),
      units: stamp.units,
      time_s: stamp.timeS,
      channel: stamp.channel,
      signer: lower(stamp.signer),
      nonce: stamp.nonce.toString(),
      signature: stamp.signature,
      received_at_ms: stamp.receivedAtMs,
      claimed_at_ms: stamp.claimedAtMs,
      correction_reason: stamp.correctionReason,
      source: stamp.source,
    });
    return Number(result.lastInsertRowid);
  }

  /** The job running on `machineId`, if any. */
  busyJob(siteId: Hex, machineId: Hex): Hex | undefined {
    const row = this.#busyJob.get(lower(siteId), lower(machineId)) as
      { job_id: string } | undefined;
    return row?.job_id as Hex | undefined;
  }

  /**
   * Queues a start with its job and marks its machines busy. The caller checked
   * everything; this re-checks the two things a concurrent request could have
   * changed (job id taken, machine busy) inside the transaction and returns
   * what was in the way instead of inserting.
   */
  queueStart(
    stamp: NewStamp,
    reference: string | null,
  ):
    | { ok: true; stampRef: number }
    | { ok: false; reason: "job_exists" }
    | { ok: false; reason: "machine_busy"; machineId: Hex; jobId: Hex } {
    return this.transaction(() => {
      if (this.job(stamp.siteId, stamp.jobId) !== undefined)
        return { ok: false, reason: "job_exists" } as const;
      for (const machineId of stamp.machineIds) {
        const busy = this.busyJob(stamp.siteId, machineId);
        if (busy !== undefined)
          return { ok: false, reason: "machine_busy", machineId, jobId: busy } as const;
      }
      const stampRef = this.#insert(stamp);
      this.#insertJob.run(
        lower(stamp.siteId),
        lower(stamp.jobId),
        reference,
        lower(stamp.productId),
        JSON.stringify(stamp.machineIds.map(lower)),
        stamp.timeS,
        stampRef,
        "gateway",
        stamp.channel,
        stamp.receivedAtMs,
      );
      for (const machineId of stamp.machineIds)
        this.#insertBusy.run(lower(stamp.siteId), lower(machineId), lower(stamp.jobId));
      return { ok: true, stampRef } as const;
    });
  }

  /** Queues a stop, marks the job stopped and frees its machines; refuses when the job is not running. */
  queueStop(
    stamp: NewStamp,
  ): { ok: true; stampRef: number } | { ok: false; reason: "not_running"; job?: JobRecord } {
    return this.transaction(() => {
      const job = this.job(stamp.siteId, stamp.jobId);
      if (job?.state !== "running") return { ok: false, reason: "not_running", job } as const;
      const stampRef = this.#insert(stamp);
      this.#db
        .prepare(
          "UPDATE jobs SET state = 'stopped', stopped_at_s = ?, units = ?, stop_stamp_ref = ? WHERE site_id = ? AND job_id = ?",
        )
        .run(stamp.timeS, stamp.units, stampRef, lower(stamp.siteId), lower(stamp.jobId));
      this.#releaseBusy.run(lower(stamp.siteId), lower(stamp.jobId));
      return { ok: true, stampRef } as const;
    });
  }

  job(siteId: Hex, jobId: Hex): JobRecord | undefined {
    const row = this.#getJob.get(lower(siteId), lower(jobId)) as JobRow | undefined;
    return row === undefined ? undefined : jobFromRow(row);
  }

  /** Finds a job by the id alone (the API's `{id}`), whichever site it is at. */
  jobsById(jobId: Hex): JobRecord[] {
    return (
      this.#db.prepare("SELECT * FROM jobs WHERE job_id = ?").all(lower(jobId)) as JobRow[]
    ).map(jobFromRow);
  }

  stamp(stampRef: number): StampRecord | undefined {
    const row = this.#getStamp.get(stampRef) as StampRow | undefined;
    return row === undefined ? undefined : stampFromRow(row);
  }

  stampBySignerNonce(signer: Hex, nonce: bigint): StampRecord | undefined {
    const row = this.#db
      .prepare("SELECT * FROM job_stamps WHERE signer = ? AND nonce = ?")
      .get(lower(signer), nonce.toString()) as StampRow | undefined;
    return row === undefined ? undefined : stampFromRow(row);
  }

  /** Queued stamps whose backoff has passed, oldest first (a start before its stop). */
  due(nowMs: number, limit: number): StampRecord[] {
    return (
      this.#db
        .prepare(
          "SELECT * FROM job_stamps WHERE state = 'queued' AND next_attempt_at_ms <= ? ORDER BY stamp_ref LIMIT ?",
        )
        .all(nowMs, limit) as StampRow[]
    ).map(stampFromRow);
  }

  /** Stamps sent in a transaction whose outcome is not recorded yet (after a crash). */
  submitted(): StampRecord[] {
    return (
      this.#db
        .prepare("SELECT * FROM job_stamps WHERE state = 'submitted' ORDER BY stamp_ref")
        .all() as StampRow[]
    ).map(stampFromRow);
  }

  countByState(): Record<StampState, number> {
    const counts: Record<StampState, number> = { queued: 0, submitted: 0, confirmed: 0, failed: 0 };
    for (const row of this.#db
      .prepare("SELECT state, count(*) AS n FROM job_stamps GROUP BY state")
      .all() as { state: StampState; n: number }[])
      counts[row.state] = row.n;
    return counts;
  }

  /** Recorded before the transaction is broadcast: a crash after this looks the stamps up on chain. */
  markSubmitted(stampRefs: readonly number[], txHash: Hex | null): void {
    const statement = this.#db.prepare(
      "UPDATE job_stamps SET state = 'submitted', attempts = attempts + 1, tx_hash = ?, last_error = NULL WHERE stamp_ref = ?",
    );
    this.transaction(() => {
      for (const ref of stampRefs) statement.run(txHash, ref);
    });
  }

  markConfirmed(
    stampRefs: readonly number[],
    txHash: Hex | null,
    blockNumber: number,
    nowMs: number,
  ): void {
    const statement = this.#db.prepare(
      "UPDATE job_stamps SET state = 'confirmed', tx_hash = coalesce(?, tx_hash), block_number = ?, confirmed_at_ms = ?, last_error = NULL WHERE stamp_ref = ?",
    );
    this.transaction(() => {
      for (const ref of stampRefs) statement.run(txHash, blockNumber, nowMs, ref);
    });
  }

  /** Back to the queue after a transient failure, to be retried at `nextAttemptAtMs`. */
  requeue(stampRefs: readonly number[], error: string, nextAttemptAtMs: number): void {
    const statement = this.#db.prepare(
      "UPDATE job_stamps SET state = 'queued', last_error = ?, next_attempt_at_ms = ? WHERE stamp_ref = ?",
    );
    this.transaction(() => {
      for (const ref of stampRefs) statement.run(error, nextAttemptAtMs, ref);
    });
  }

  /**
   * The chain refused a stamp for good. A failed start fails its job and frees
   * its machines; a failed stop puts the job back to running. The reason stays
   * on the stamp for `GET /v1/jobs/{id}`.
   */
  markFailed(stampRef: number, error: string): void {
    this.transaction(() => {
      const stamp = this.stamp(stampRef);
      if (stamp === undefined) return;
      this.#db
        .prepare("UPDATE job_stamps SET state = 'failed', last_error = ? WHERE stamp_ref = ?")
        .run(error, stampRef);
      const site = lower(stamp.siteId);
      const job = lower(stamp.jobId);
      if (stamp.action === 1) {
        this.#db
          .prepare(
            "UPDATE jobs SET state = 'failed' WHERE site_id = ? AND job_id = ? AND start_stamp_ref = ?",
          )
          .run(site, job, stampRef);
        this.#releaseBusy.run(site, job);
      } else {
        const reopened = this.#db
          .prepare(
            "UPDATE jobs SET state = 'running', stopped_at_s = NULL, units = NULL, stop_stamp_ref = NULL WHERE site_id = ? AND job_id = ? AND stop_stamp_ref = ?",
          )
          .run(site, job, stampRef);
        if (reopened.changes > 0) {
          const record = this.job(stamp.siteId, stamp.jobId);
          for (const machineId of record?.machineIds ?? [])
            this.#insertBusy.run(site, machineId, job);
        }
      }
    });
  }

  /**
   * A JobStarted seen on chain (any channel, any gateway): records the job if
   * the gateway did not know it, so its machines count as busy. Idempotent.
   */
  recordChainStart(job: {
    siteId: Hex;
    jobId: Hex;
    productId: Hex;
    machineIds: readonly Hex[];
    timeS: number;
    channel: number;
    nowMs: number;
  }): void {
    this.transaction(() => {
      if (this.job(job.siteId, job.jobId) !== undefined) return;
      this.#insertJob.run(
        lower(job.siteId),
        lower(job.jobId),
        null,
        lower(job.productId),
        JSON.stringify(job.machineIds.map(lower)),
        job.timeS,
        null,
        "chain",
        job.channel,
        job.nowMs,
      );
      for (const machineId of job.machineIds)
        this.#insertBusy.run(lower(job.siteId), lower(machineId), lower(job.jobId));
    });
  }

  /** A JobStopped seen on chain: the job is stopped and its machines are free. Idempotent. */
  recordChainStop(job: { siteId: Hex; jobId: Hex; timeS: number; units: number }): void {
    this.transaction(() => {
      const known = this.job(job.siteId, job.jobId);
      if (known?.state !== "running") return;
      this.#db
        .prepare(
          "UPDATE jobs SET state = 'stopped', stopped_at_s = ?, units = ? WHERE site_id = ? AND job_id = ?",
        )
        .run(job.timeS, job.units, lower(job.siteId), lower(job.jobId));
      this.#releaseBusy.run(lower(job.siteId), lower(job.jobId));
    });
  }

  /** A value kept in gateway_settings, created by `create` on first use. */
  setting(key: string, create: () => string): string {
    return this.transaction(() => {
      const row = this.#db.prepare("SELECT value FROM gateway_settings WHERE key = ?").get(key) as
        { value: string } | undefined;
      if (row !== undefined) return row.value;
      const value = create();
      this.#db.prepare("INSERT INTO gateway_settings (key, value) VALUES (?, ?)").run(key, value);
      return value;
    });
  }

  /** The next gateway-signed stamp's counter (see allocateNonce in stampingService.ts). */
  nextCounter(key: string): bigint {
    return this.transaction(() => {
      const current = BigInt(this.setting(key, () => "0"));
      this.#db
        .prepare("UPDATE gateway_settings SET value = ? WHERE key = ?")
        .run((current + 1n).toString(), key);
      return current;
    });
  }
}
