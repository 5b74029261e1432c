/**
 * Exponential backoff with ±20 % jitter: `initialMs · 2^attempt`, capped at
 * `maxMs`. The jitter keeps many containers failing together (an IPFS outage)
 * from retrying in lockstep.
 */
export function backoffDelayMs(
  attempt: number,
  options: { initialMs: number; maxMs: number },
  random = Math.random,
): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** A backoff for one shared dependency (the chain): grows on each failure, resets on success. */
export class DependencyBackoff {
  readonly #options: { initialMs: number; maxMs: number };
  #failures = 0;
  #untilMs = 0;
  #lastError: string | undefined;

  constructor(options: { initialMs: number; maxMs: number }) {
    this.#options = options;
  }

  /** Whether the dependency may be tried at `nowMs`. */
  ready(nowMs: number): boolean {
    return nowMs >= this.#untilMs;
  }

  failed(nowMs: number, error: unknown): void {
    this.#untilMs = nowMs + backoffDelayMs(this.#failures, this.#options);
    this.#failures += 1;
    this.#lastError = error instanceof Error ? error.message.split("\n")[0] : String(error);
  }

  succeeded(): void {
    this.#failures = 0;
    this.#untilMs = 0;
    this.#lastError = undefined;
  }

  get failures(): number {
    return this.#failures;
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }
}
