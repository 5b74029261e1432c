import type { Logger } from "pino";
import type { Hex, LocalAccount } from "viem";
import { decodeJobStampsError, readJob, stampManyCall } from "@energy-intelligence/sdk/jobs/index";
import { accountSendQueue } from "../chain/accountSendQueue.ts";
import { readChainHead } from "../chain/readChainHead.ts";
import type { JobsRepository, StampRecord } from "./jobsRepository.ts";
import { signedStampOf } from "./signedStampOf.ts";
import { signStampManyTransaction } from "./signStampManyTransaction.ts";
import type { SiteDirectory } from "./siteDirectory.ts";

/** Errors that time alone cures: the stamp is retried later rather than failed. */
const TRANSIENT = new Set(["Jobs_StampInFuture"]);

export interface StampSubmitterParameters {
  jobs: JobsRepository;
  directory: SiteDirectory;
  /** Pays the gas. Any account: the stamps' signatures are what the contract trusts. */
  relayer: LocalAccount;
  chainId: number;
  logger: Logger;
  /** Stamps per stampMany transaction. */
  maxBatchStamps: number;
  /** How long the first queued stamp waits for others to share its transaction. */
  batchDelayMs: number;
  pollIntervalMs: number;
  backoff: { initialMs: number; maxMs: number };
  /** How long to wait for a sent transaction's receipt before looking again next pass. */
  receiptTimeoutMs?: number;
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
}

/**
 * Sends queued stamps to JobStamps in `stampMany` batches. Crash-safe by
 * construction: a stamp is marked `submitted` with its transaction hash before
 * the transaction is broadcast, and any stamp that may have been sent before is
 * looked up on chain (its nonce used and its job slot matching) before it is
 * sent again. Since a signer's nonce lands once, a resubmission can never stamp
 * twice; a batch the chain refuses is split to name the one stamp at fault,
 * which fails with the contract's reason while the others go on.
 */
export class StampSubmitter {
  readonly #p: StampSubmitterParameters;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #closed = false;
  #failures = 0;

  constructor(parameters: StampSubmitterParameters) {
    this.#p = parameters;
  }

  start(): void {
    this.#schedule(0);
  }

  /** Something was queued: look soon (the batch delay still applies). */
  kick(): void {
    this.#schedule(Math.min(this.#p.batchDelayMs, this.#p.pollIntervalMs));
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running ??= this.#pass().finally(() => {
        this.#running = undefined;
      });
    }, delayMs);
    this.#timer.unref();
  }

  async #pass(): Promise<void> {
    let next = this.#p.pollIntervalMs;
    try {
      const sent = await this.runOnce();
      this.#failures = 0;
      if (sent > 0) next = 0;
    } catch (error) {
      this.#failures += 1;
      next = Math.min(this.#p.backoff.maxMs, this.#p.backoff.initialMs * 2 ** (this.#failures - 1));
      this.#p.logger.warn(
        { err: firstLine(error), retryInMs: next },
        "stamp submission failed; retrying",
      );
    }
    this.#schedule(next);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running;
  }

  /** Whether a stamp is on chain: its nonce is used and its job's slot holds exactly this stamp. */
  async #onChain(stamp: StampRecord): Promise<"confirmed" | "absent" | "conflict"> {
    const { directory } = this.#p;
    if (!(await directory.isNonceUsed(stamp.signer, stamp.nonce))) return "absent";
    const job = await readJob({
      publicClient: directory.client,
      address: directory.jobStampsAddress,
      siteId: stamp.siteId,
      jobId: stamp.jobId,
    });
    const matches =
      stamp.action === 1
        ? job.startedAt === BigInt(stamp.timeS)
        : job.stoppedAt === BigInt(stamp.timeS) && job.units === BigInt(stamp.units);
    return matches ? "confirmed" : "conflict";
  }

  /** Settles stamps that may already be on chain; returns those still to send. */
  async #reconcile(stamps: readonly StampRecord[]): Promise<StampRecord[]> {
    const pending: StampRecord[] = [];
    const head = Number(await readChainHead(this.#p.directory.client));
    for (const stamp of stamps) {
      const status = await this.#onChain(stamp);
      if (status === "confirmed") {
        this.#p.jobs.markConfirmed([stamp.stampRef], null, head, Date.now());
        this.#p.logger.info(
          { stampRef: stamp.stampRef },
          "stamp found on chain; confirmed without resending",
        );
      } else if (status === "conflict") {
        this.#p.jobs.markFailed(stamp.stampRef, "its nonce was used on chain by another stamp");
      } else pending.push(stamp);
    }
    return pending;
  }

  /** Outcomes of transactions sent before a crash (or a receipt timeout). */
  async #settleSubmitted(): Promise<void> {
    const submitted = this.#p.jobs.submitted();
    if (submitted.length === 0) return;
    const byTx = new Map<string, StampRecord[]>();
    for (const stamp of submitted) {
      const key = stamp.txHash ?? "";
      byTx.set(key, [...(byTx.get(key) ?? []), stamp]);
    }
    for (const [txHash, stamps] of byTx) {
      if (txHash !== "") {
        const receipt = await this.#p.directory.client
          .getTransactionReceipt({ hash: txHash as Hex })
          .catch(() => undefined);
        if (receipt?.status === "success") {
          this.#p.jobs.markConfirmed(
            stamps.map((s) => s.stampRef),
            txHash as Hex,
            Number(receipt.blockNumber),
            Date.now(),
          );
          continue;
        }
        if (receipt === undefined) {
          const pendingTx = await this.#p.directory.client
            .getTransaction({ hash: txHash as Hex })
            .catch(() => undefined);
          if (pendingTx !== undefined) continue; // still in the mempool: wait
        }
      }
      const left = await this.#reconcile(stamps);
      this.#p.jobs.requeue(
        left.map((s) => s.stampRef),
        "the transaction was not mined; resending",
        0,
      );
    }
  }

  /** Simulates the batch; undefined when it would pass, else the first stamp at fault and why. */
  async #firstFailure(
    batch: readonly StampRecord[],
  ): Promise<{ index: number; error: unknown } | undefined> {
    const simulate = async (count: number): Promise<unknown> => {
      try {
        await this.#p.directory.client.simulateContract({
          ...stampManyCall({
            address: this.#p.directory.jobStampsAddress,
            stamps: batch.slice(0, count).map(signedStampOf),
          }),
          account: this.#p.relayer,
        });
        return undefined;
      } catch (error) {
        if (decodeJobStampsError(error) === undefined) throw error;
        return error;
      }
    };
    const whole = await simulate(batch.length);
    if (whole === undefined) return undefined;
    // Stamps apply in order, so "the first k pass" is monotone in k: bisect for the first that fails.
    let good = 0;
    let bad = batch.length;
    let badError = whole;
    while (bad - good > 1) {
      const middle = Math.floor((good + bad) / 2);
      const error = await simulate(middle);
      if (error === undefined) good = middle;
      else {
        bad = middle;
        badError = error;
      }
    }
    return { index: bad - 1, error: badError };
  }

  /** One pass: settle, pick a batch, send it. Returns how many stamps were confirmed. */
  async runOnce(nowMs = Date.now()): Promise<number> {
    const { jobs, logger } = this.#p;
    await this.#settleSubmitted();
    let batch = jobs.due(nowMs, this.#p.maxBatchStamps);
    const oldest = batch[0];
    if (oldest === undefined) return 0;
    if (
      batch.length < this.#p.maxBatchStamps &&
      nowMs - oldest.receivedAtMs < this.#p.batchDelayMs
    ) {
      this.#schedule(this.#p.batchDelayMs - (nowMs - oldest.receivedAtMs));
      return 0;
    }
    const retried = batch.filter((stamp) => stamp.attempts > 0);
    if (retried.length > 0) {
      const still = new Set((await this.#reconcile(retried)).map((s) => s.stampRef));
      batch = batch.filter((stamp) => stamp.attempts === 0 || still.has(stamp.stampRef));
    }
    // Refuse-and-split: drop each stamp the chain would refuse, until the rest passes.
    for (;;) {
      if (batch.length === 0) return 0;
      const failure = await this.#firstFailure(batch);
      if (failure === undefined) break;
      const culprit = batch[failure.index];
      if (culprit === undefined) break;
      const decoded = decodeJobStampsError(failure.error);
      if (decoded?.errorName === "Nonces_AlreadyUsed") {
        await this.#reconcile([culprit]);
      } else if (decoded !== undefined && TRANSIENT.has(decoded.errorName)) {
        jobs.requeue([culprit.stampRef], decoded.shortMessage, nowMs + this.#p.backoff.initialMs);
      } else {
        jobs.markFailed(culprit.stampRef, decoded?.shortMessage ?? firstLine(failure.error));
        logger.warn(
          { stampRef: culprit.stampRef, reason: decoded?.errorName },
          "stamp refused by the chain",
        );
      }
      batch = batch.filter((stamp) => stamp.stampRef !== culprit.stampRef);
    }

    const { client, jobStampsAddress } = this.#p.directory;
    const account = this.#p.relayer;
    const refs = batch.map((stamp) => stamp.stampRef);
    // Nonce read to broadcast is one critical section per account: without a relayer key the
    // oracle key pays, and the anchorer and lot minter send with it too.
    const txHash = await accountSendQueue.run(
      { chainId: this.#p.chainId, address: account.address },
      async () => {
        const signed = await signStampManyTransaction({
          client,
          account,
          chainId: this.#p.chainId,
          jobStamps: jobStampsAddress,
          stamps: batch,
        });
        // Recorded before broadcast: after a crash the hash is looked up, never guessed.
        jobs.markSubmitted(refs, signed.txHash);
        await client.sendRawTransaction({ serializedTransaction: signed.raw });
        return signed.txHash;
      },
    );
    const receipt = await client
      .waitForTransactionReceipt({ hash: txHash, timeout: this.#p.receiptTimeoutMs ?? 60_000 })
      .catch(() => undefined);
    if (receipt === undefined) return 0; // settled on a later pass
    if (receipt.status !== "success") {
      jobs.requeue(refs, "the stampMany transaction reverted; checking and resending", nowMs);
      return 0;
    }
    jobs.markConfirmed(refs, txHash, Number(receipt.blockNumber), Date.now());
    logger.info(
      { txHash, stamps: refs.length, gasUsed: Number(receipt.gasUsed) },
      "stamps confirmed on chain",
    );
    return refs.length;
  }
}
