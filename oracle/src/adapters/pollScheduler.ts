import type { ProtocolReading } from "@energy-intelligence/sdk/protocols/index";
import type { PollSchedule } from "./adaptersConfigSchema.ts";
import type { AdapterHealth } from "./adapterHealth.ts";
import type { AdapterReadingSink } from "./adapterReadingSink.ts";
import { describeAdapterError } from "./describeAdapterError.ts";

/** One device's protocol client, as the scheduler drives it. */
export interface DevicePoller {
  /** Reads the device once; must give up when `signal` aborts (the poll's timeout). */
  poll(signal: AbortSignal): Promise<ProtocolReading[]>;
  /** Drops the connection so the next poll starts afresh (after a failure). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface PollSchedulerOptions {
  adapter: string;
  schedule: PollSchedule;
  poller: DevicePoller;
  sink: AdapterReadingSink;
  health: AdapterHealth;
  /** Injected for tests; default setTimeout-based sleeping and Date.now. */
  now?: () => number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Polls one device every `intervalMs` (measured start to start, so a slow
 * device does not drift the schedule, and a poll never overlaps the next).
 * Each attempt has `timeoutMs`; a failed attempt is retried after
 * `backoffMs`, doubling to `maxBackoffMs`, at most `retries` times and never
 * past the next interval. When every attempt fails the device is marked
 * degraded through AdapterHealth (which records the gap) and the scheduler
 * keeps polling at the normal interval, so it notices at once when the
 * device comes back. A failed poll produces no reading at all: the gap stays
 * a gap.
 */
export class PollScheduler {
  readonly #options: PollSchedulerOptions;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(options: PollSchedulerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async close(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    await this.#options.poller.close();
  }

  /** One poll with its retries; resolves when it succeeded or gave up. Exposed for the bench. */
  async pollOnce(deadlineMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const { adapter, schedule, poller, sink, health } = this.#options;
    const now = this.#options.now ?? Date.now;
    let backoffMs = schedule.backoffMs;
    let lastError: { reason: string; detail: string } = { reason: "unknown", detail: "" };
    for (let attempt = 0; attempt <= schedule.retries; attempt++) {
      if (this.#stop.signal.aborted) return false;
      const startedAtMs = now();
      try {
        const readings = await poller.poll(
          AbortSignal.any([this.#stop.signal, AbortSignal.timeout(schedule.timeoutMs)]),
        );
        const outcome = await sink.submit(readings);
        if (outcome.status === "rejected") {
          // The gateway refused the readings (device revoked, wrong scheme…):
          // not the device's fault, but nothing was stored, so it counts as missed.
          lastError = { reason: outcome.reason, detail: outcome.detail };
          health.metrics?.polls.inc({ adapter, outcome: "refused" });
          break;
        }
        health.metrics?.polls.inc({ adapter, outcome: attempt === 0 ? "ok" : "retried" });
        health.metrics?.pollSeconds.inc({ adapter }, (now() - startedAtMs) / 1000);
        health.succeeded(
          sink.deviceId,
          now(),
          outcome.status === "stored" ? outcome.storedReadings : 0,
        );
        return true;
      } catch (error) {
        if (this.#stopped()) return false;
        lastError = describeAdapterError(error);
        health.metrics?.framesRejected.inc({ adapter, reason: lastError.reason });
        await poller.reset().catch(() => undefined);
      }
      if (attempt === schedule.retries || now() + backoffMs >= deadlineMs) break;
      await sleep(backoffMs, this.#stop.signal);
      backoffMs = Math.min(backoffMs * 2, schedule.maxBackoffMs);
    }
    health.metrics?.polls.inc({ adapter, outcome: "failed" });
    health.failed(sink.deviceId, now(), lastError.reason, lastError.detail);
    return false;
  }

  /** A method, not the field: the flag changes while a poll awaits. */
  #stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  async #run(): Promise<void> {
    const now = this.#options.now ?? Date.now;
    const { intervalMs } = this.#options.schedule;
    while (!this.#stop.signal.aborted) {
      const startedAtMs = now();
      await this.pollOnce(startedAtMs + intervalMs);
      const elapsed = now() - startedAtMs;
      await sleep(Math.max(0, intervalMs - elapsed), this.#stop.signal);
    }
  }
}
