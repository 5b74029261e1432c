import type { IngestWriter, PendingMessage, WriteOutcome } from "./ingestTypes.ts";

export interface GroupCommitterOptions {
  /** Most readings per transaction. */
  maxBatchReadings: number;
  /** How long the first message of an idle queue waits for company before a commit starts. */
  maxDelayMs: number;
  /** Readings queued or being committed, at most; beyond it callers must wait or refuse (backpressure). */
  maxQueuedReadings: number;
}

export interface CommitStats {
  messages: number;
  readings: number;
  durationMs: number;
}

interface Entry {
  pending: PendingMessage;
  readings: number;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: Error) => void;
}

/**
 * Group commit: messages from every transport queue here and are written in
 * one transaction per batch, so one fsync acknowledges many messages. One batch
 * is in flight at a time; what arrives meanwhile forms the next batch, so batches
 * grow with load and latency stays near one commit when idle. The queue is
 * bounded in readings: {@link trySubmit} and {@link submit} let
 * transports refuse (HTTP 503) or hold back (MQTT: no PUBACK yet) instead of
 * buffering without limit.
 */
export class GroupCommitter {
  readonly #writer: IngestWriter;
  readonly #options: GroupCommitterOptions;
  readonly #onCommit: ((stats: CommitStats) => void) | undefined;
  #queue: Entry[] = [];
  #queuedReadings = 0;
  #inFlightReadings = 0;
  #flushing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #waiting: Entry[] = [];
  #waitingReadings = 0;
  #closed = false;

  constructor(
    writer: IngestWriter,
    options: GroupCommitterOptions,
    onCommit?: (stats: CommitStats) => void,
  ) {
    this.#writer = writer;
    this.#options = options;
    this.#onCommit = onCommit;
  }

  /** Readings queued plus readings in the transaction being committed. */
  get depthReadings(): number {
    return this.#queuedReadings + this.#inFlightReadings;
  }

  get capacityReadings(): number {
    return this.#options.maxQueuedReadings;
  }

  get closed(): boolean {
    return this.#closed;
  }

  hasCapacity(readings: number): boolean {
    // An empty queue always admits one message, however large, so nothing starves.
    return (
      this.depthReadings === 0 || this.depthReadings + readings <= this.#options.maxQueuedReadings
    );
  }

  /**
   * Queues a message if it fits, resolving with its outcome once its transaction
   * has committed; returns undefined when the queue is full (the caller refuses
   * the message, e.g. HTTP 503).
   */
  trySubmit(pending: PendingMessage): Promise<WriteOutcome> | undefined {
    if (this.#waiting.length > 0 || !this.hasCapacity(pending.message.readings.length))
      return undefined;
    return this.submit(pending);
  }

  /**
   * Queues a message, first waiting (first come, first served) for room when the
   * queue is full; resolves with its outcome once its transaction has committed.
   * The MQTT broker uses this: while a publish waits, no PUBACK goes out and the
   * broker stops reading that client's socket, so TCP pushes back on the device.
   */
  submit(pending: PendingMessage): Promise<WriteOutcome> {
    if (this.#closed) return Promise.reject(new Error("the ingest queue is closed"));
    const readings = pending.message.readings.length;
    return new Promise<WriteOutcome>((resolve, reject) => {
      const entry = { pending, readings, resolve, reject };
      if (this.#waiting.length > 0 || !this.hasCapacity(readings)) {
        this.#waiting.push(entry);
        this.#waitingReadings += readings;
        return;
      }
      this.#enqueue(entry);
    });
  }

  /** Readings held back waiting for room in the queue. */
  get waitingReadings(): number {
    return this.#waitingReadings;
  }

  #enqueue(entry: Entry): void {
    this.#queue.push(entry);
    this.#queuedReadings += entry.readings;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#flushing !== undefined) return; // the running flush picks the queue up when it ends
    if (this.#queuedReadings >= this.#options.maxBatchReadings || this.#options.maxDelayMs <= 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#startFlush();
    } else {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#startFlush();
      }, this.#options.maxDelayMs);
    }
  }

  #startFlush(): void {
    if (this.#flushing !== undefined || this.#queue.length === 0) return;
    this.#flushing = this.#flush().finally(() => {
      this.#flushing = undefined;
      this.#releaseCapacity();
      if (this.#queue.length > 0) {
        // These messages already waited a whole commit: no extra delay.
        this.#startFlush();
      }
    });
  }

  async #flush(): Promise<void> {
    const batch: Entry[] = [];
    let readings = 0;
    while (this.#queue.length > 0) {
      const next = this.#queue[0];
      if (
        next === undefined ||
        (batch.length > 0 && readings + next.readings > this.#options.maxBatchReadings)
      )
        break;
      this.#queue.shift();
      batch.push(next);
      readings += next.readings;
    }
    this.#queuedReadings -= readings;
    this.#inFlightReadings = readings;
    const started = performance.now();
    try {
      const outcomes = await this.#writer.write(batch.map((entry) => entry.pending));
      this.#onCommit?.({
        messages: batch.length,
        readings,
        durationMs: performance.now() - started,
      });
      batch.forEach((entry, index) => {
        const outcome = outcomes[index];
        if (outcome === undefined)
          entry.reject(new Error("the store writer returned too few outcomes"));
        else entry.resolve(outcome);
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const entry of batch) entry.reject(failure);
    } finally {
      this.#inFlightReadings = 0;
    }
  }

  #releaseCapacity(): void {
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0];
      if (next === undefined || !this.hasCapacity(next.readings)) break;
      this.#waiting.shift();
      this.#waitingReadings -= next.readings;
      this.#enqueue(next);
    }
  }

  /** Stops accepting, commits everything queued, and waits for the last commit. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // Messages already received are committed, not dropped: capacity is a
    // bound on memory, and closing frees it as the batches drain.
    while (this.#flushing !== undefined || this.#queue.length > 0 || this.#waiting.length > 0) {
      if (this.#flushing === undefined && this.#queue.length === 0) this.#releaseCapacity();
      this.#startFlush();
      await this.#flushing;
    }
  }
}
