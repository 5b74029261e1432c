import type { Database } from "better-sqlite3";

export interface LoginRateLimits {
  /** Failed sign-ins per username in the window before that username is locked (default 5). */
  perUsername: number;
  /** Failed sign-ins per client address in the window (default 20: a shared factory NAT). */
  perAddress: number;
  /** The sliding window (default 15 minutes). */
  windowMs: number;
}

export const DEFAULT_LOGIN_RATE_LIMITS: Readonly<LoginRateLimits> = Object.freeze({
  perUsername: 5,
  perAddress: 20,
  windowMs: 15 * 60_000,
});

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterS: number };

/**
 * Counts failed sign-ins per username and per client address in SQLite (so a
 * restart does not reset them) over a sliding window. A username over its limit
 * is refused before its password is checked, so guessing stops being useful;
 * the address limit slows one client spraying many usernames.
 */
export class LoginRateLimiter {
  readonly #db: Database;
  readonly #limits: LoginRateLimits;

  constructor(db: Database, limits: LoginRateLimits = DEFAULT_LOGIN_RATE_LIMITS) {
    this.#db = db;
    this.#limits = limits;
  }

  #check(key: string, limit: number, nowMs: number): RateLimitDecision {
    const since = nowMs - this.#limits.windowMs;
    const rows = this.#db
      .prepare<[string, number], { at_ms: number }>(
        "SELECT at_ms FROM login_failures WHERE key = ? AND at_ms > ? ORDER BY at_ms DESC",
      )
      .all(key, since);
    if (rows.length < limit) return { allowed: true };
    // Allowed again once the oldest failure that keeps the count at the limit leaves the window.
    const oldestCounted = rows[limit - 1]?.at_ms ?? nowMs;
    return {
      allowed: false,
      retryAfterS: Math.max(1, Math.ceil((oldestCounted + this.#limits.windowMs - nowMs) / 1000)),
    };
  }

  /** May this username try to sign in from this address (undefined: not known) now? */
  check(username: string, address: string | undefined, nowMs = Date.now()): RateLimitDecision {
    const byUser = this.#check(`user:${username.toLowerCase()}`, this.#limits.perUsername, nowMs);
    const byAddress: RateLimitDecision =
      address === undefined
        ? { allowed: true }
        : this.#check(`addr:${address}`, this.#limits.perAddress, nowMs);
    if (byUser.allowed && byAddress.allowed) return { allowed: true };
    return {
      allowed: false,
      retryAfterS: Math.max(
        byUser.allowed ? 0 : byUser.retryAfterS,
        byAddress.allowed ? 0 : byAddress.retryAfterS,
      ),
    };
  }

  recordFailure(username: string, address: string | undefined, nowMs = Date.now()): void {
    const insert = this.#db.prepare("INSERT INTO login_failures (key, at_ms) VALUES (?, ?)");
    this.#db.transaction(() => {
      insert.run(`user:${username.toLowerCase()}`, nowMs);
      if (address !== undefined) insert.run(`addr:${address}`, nowMs);
      this.#db
        .prepare("DELETE FROM login_failures WHERE at_ms <= ?")
        .run(nowMs - this.#limits.windowMs);
    })();
  }

  /** A successful sign-in clears the username's failures (not the address's). */
  recordSuccess(username: string): void {
    this.#db
      .prepare("DELETE FROM login_failures WHERE key = ?")
      .run(`user:${username.toLowerCase()}`);
  }
}
