import type { Logger } from "pino";
import type { ChainAccess } from "../chain/createChainAccess.ts";
import type { ContentStore } from "../ipfs/contentStore.ts";
import type { MetricsRegistry } from "../metrics/metricsRegistry.ts";
import type { AnchorBatchesRepository } from "../store/anchorBatchesRepository.ts";
import { CONTAINER_STATES, type ContainersRepository } from "../store/containersRepository.ts";
import { DependencyBackoff } from "./backoff.ts";
import { storeContainers } from "./storeContainers.ts";
import { submitBatch } from "./submitBatch.ts";
import { watchBatches } from "./watchBatches.ts";

export interface AnchorerOptions {
  containers: ContainersRepository;
  batches: AnchorBatchesRepository;
  store: ContentStore;
  /**
   * Connects to the chain; called again (with backoff) until it succeeds, so a
   * gateway starts while the chain is down. Undefined: documents are stored in
   * IPFS, nothing is anchored.
   */
  connectChain: (() => Promise<ChainAccess>) | undefined;
  logger: Logger;
  metrics?: MetricsRegistry | undefined;
  confirmations: number;
  maxBatchContainers: number;
  pollIntervalMs: number;
  replaceAfterMs: number;
  backoff: { initialMs: number; maxMs: number };
}

/**
 * Drives every container through built → stored → submitted → confirmed, one
 * pass at a time (oracle/README.md, "Anchoring"). All progress is in SQLite, so
 * the anchorer keeps no state a crash could lose: a restarted gateway's first
 * pass picks up exactly where the last one stopped. An unreachable chain or
 * content store is waited out with exponential backoff while ingest and
 * closing carry on.
 */
export class Anchorer {
  readonly #options: AnchorerOptions;
  readonly #chainBackoff: DependencyBackoff;
  #chain: ChainAccess | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #wake: (() => void) | undefined;
  #chainUp = false;
  #storeUp = true;

  constructor(options: AnchorerOptions) {
    this.#options = options;
    this.#chainBackoff = new DependencyBackoff(options.backoff);
    const registry = options.metrics;
    if (registry !== undefined) {
      registry.gauge("ei_containers", "Containers by anchoring state (queue depths).", (gauge) => {
        const counts = options.containers.countByState();
        for (const state of CONTAINER_STATES) gauge.set({ state }, counts[state]);
      });
      registry.gauge(
        "ei_anchoring_lag_seconds",
        "Seconds since the end of the oldest period not yet confirmed on chain (0 when all are).",
        (gauge) => {
          const endMs = options.containers.oldestUnconfirmedPeriodEndMs();
          gauge.set({}, endMs === undefined ? 0 : Math.max(0, (Date.now() - endMs) / 1000));
        },
      );
      registry.gauge(
        "ei_anchoring_dependency_up",
        "1 when the anchorer last reached the dependency.",
        (gauge) => {
          gauge.set({ dependency: "chain" }, this.#chainUp ? 1 : 0);
          gauge.set({ dependency: "ipfs" }, this.#storeUp ? 1 : 0);
        },
      );
    }
  }

  /** Whether the last chain call succeeded (readiness shows it; ingest does not depend on it). */
  get chainUp(): boolean {
    return this.#chainUp;
  }

  get storeUp(): boolean {
    return this.#storeUp;
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  /** Runs a pass now instead of at the next poll (the closer calls it after closing periods). */
  kick(): void {
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running;
  }

  /** A method, not the field, so the compiler does not assume it cannot change across an await. */
  #isStopped(): boolean {
    return this.#stopped;
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      try {
        await this.runOnce();
      } catch (error) {
        this.#options.logger.error({ err: error }, "anchoring pass failed");
      }
      if (this.#isStopped()) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#options.pollIntervalMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** One pass: store due documents, follow open batches, submit the next batch. */
  async runOnce(): Promise<void> {
    const options = this.#options;
    const nowMs = Date.now();
    const storing = await storeContainers({
      containers: options.containers,
      store: options.store,
      logger: options.logger,
      nowMs,
      limit: 256,
      backoff: options.backoff,
    });
    if (storing.unavailable) this.#storeUp = false;
    else if (storing.stored > 0) this.#storeUp = true;

    if (
      options.connectChain === undefined ||
      !this.#chainBackoff.ready(Date.now()) ||
      this.#isStopped()
    )
      return;
    try {
      this.#chain ??= await options.connectChain();
      const chain = this.#chain;
      const watched = await watchBatches({
        chain,
        containers: options.containers,
        batches: options.batches,
        logger: options.logger,
        confirmations: options.confirmations,
        replaceAfterMs: options.replaceAfterMs,
      });
      if (watched.unmined === 0 && !this.#isStopped()) {
        await submitBatch({
          chain,
          containers: options.containers,
          batches: options.batches,
          logger: options.logger,
          nowMs: Date.now(),
          maxBatchContainers: options.maxBatchContainers,
          backoff: options.backoff,
        });
      }
      this.#chainUp = true;
      this.#chainBackoff.succeeded();
    } catch (error) {
      this.#chainUp = false;
      this.#chainBackoff.failed(Date.now(), error);
      options.logger.warn(
        { err: this.#chainBackoff.lastError, failures: this.#chainBackoff.failures },
        "chain unavailable; anchoring backs off",
      );
    }
  }
}
