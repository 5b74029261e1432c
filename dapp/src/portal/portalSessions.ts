import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Database } from "better-sqlite3";

export interface SessionPolicy {
  /** A session unused this long ends (default 30 minutes). */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in, used or not (default 12 hours: one shift and some). */
  absoluteTimeoutMs: number;
}

export const DEFAULT_SESSION_POLICY: Readonly<SessionPolicy> = Object.freeze({
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 12 * 60 * 60_000,
});

export interface PortalSession {
  userId: number;
  csrfToken: string;
  method: "password" | "passkey";
  createdAtMs: number;
  expiresAtMs: number;
}

interface SessionRow {
  user_id: number;
  csrf_token: string;
  method: "password" | "passkey";
  created_at_ms: number;
  last_seen_at_ms: number;
  expires_at_ms: number;
}

const tokenHash = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * Server-side sessions. The cookie holds a random 256-bit token; the table
 * holds only its SHA-256, the user, a per-session CSRF token, and the times
 * that end it (idle and absolute).
 */
export class PortalSessions {
  readonly #db: Database;
  readonly #policy: SessionPolicy;

  constructor(db: Database, policy: SessionPolicy = DEFAULT_SESSION_POLICY) {
    this.#db = db;
    this.#policy = policy;
  }

  get policy(): SessionPolicy {
    return this.#policy;
  }

  /** Signs a user in: a new token (never reused from before sign-in, so a planted cookie is useless). */
  create(
    userId: number,
    method: PortalSession["method"],
    nowMs = Date.now(),
  ): { token: string; session: PortalSession } {
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
    const expiresAtMs = nowMs + this.#policy.absoluteTimeoutMs;
    this.#db
      .prepare(
        `INSERT INTO sessions (token_hash, user_id, csrf_token, method, created_at_ms, last_seen_at_ms, expires_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(tokenHash(token), userId, csrfToken, method, nowMs, nowMs, expiresAtMs);
    return { token, session: { userId, csrfToken, method, createdAtMs: nowMs, expiresAtMs } };
  }

  /** The live session of a cookie token, touched; undefined (and deleted) when expired. */
  resolve(token: string | undefined, nowMs = Date.now()): PortalSession | undefined {
    if (token === undefined || token.length === 0 || token.length > 128) return undefined;
    const hash = tokenHash(token);
    const row = this.#db
      .prepare<[string], SessionRow>("SELECT * FROM sessions WHERE token_hash = ?")
      .get(hash);
    if (row === undefined) return undefined;
    if (nowMs >= row.expires_at_ms || nowMs - row.last_seen_at_ms >= this.#policy.idleTimeoutMs) {
      this.#db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(hash);
      return undefined;
    }
    this.#db
      .prepare("UPDATE sessions SET last_seen_at_ms = ? WHERE token_hash = ?")
      .run(nowMs, hash);
    return {
      userId: row.user_id,
      csrfToken: row.csrf_token,
      method: row.method,
      createdAtMs: row.created_at_ms,
      expiresAtMs: row.expires_at_ms,
    };
  }

  /** Signs out: the token stops working at once. */
  revoke(token: string): void {
    this.#db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(tokenHash(token));
  }

  /** Drops expired sessions (housekeeping; `resolve` already refuses them). */
  prune(nowMs = Date.now()): number {
    return this.#db
      .prepare("DELETE FROM sessions WHERE expires_at_ms <= ? OR last_seen_at_ms <= ?")
      .run(nowMs, nowMs - this.#policy.idleTimeoutMs).changes;
  }
}

/** Constant-time string comparison (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
