/**
 * A small in-memory cache of source answers, keyed by request URL, with a
 * time to live and a bounded size (oldest entry out first).
 *
 * Why memory and not SQLite: a cached answer is only a shortcut. Whatever
 * factor a container used is written into the container document itself
 * (content-addressed, anchored), so nothing is lost when the gateway restarts
 * with an empty cache; the only cost is one request per source and window
 * again, far inside every documented quota. Only successful answers are
 * cached; failures are retried on the next pass (after a 429's Retry-After).
 */
export class SourceResponseCache<Value> {
  readonly #entries = new Map<string, { value: Value; expiresAtMs: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(ttlMs: number, maxEntries = 512) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  get(key: string, nowMs: number): Value | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: Value, nowMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAtMs: nowMs + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
