import { createHash } from "node:crypto";
import type { Database } from "better-sqlite3";
import { canonicalizeJson } from "@energy-intelligence/sdk/json/index";

/** Idempotency-Key header: printable ASCII, as the IETF draft and Stripe use it. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/u;

export type IdempotencyLookup =
  { kind: "new" } | { kind: "replay"; statusCode: number; body: unknown } | { kind: "mismatch" };

/**
 * The hash that identifies a request for idempotency: method, route and the
 * body in canonical JSON (RFC 8785), so key order and spacing do not matter.
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method} ${url}\n${canonicalizeJson(body ?? null)}`, "utf8")
    .digest("hex");
}

/**
 * Remembers the first successful answer per (API key, Idempotency-Key). A retry
 * with the same request gets that answer again and changes nothing; the same
 * key with a different request is refused. Refusals are not remembered: nothing
 * changed, so the client may fix the request and retry under the same key.
 */
export class IdempotencyKeysRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  lookup(keyRef: number, idempotencyKey: string, fingerprint: string): IdempotencyLookup {
    const row = this.#db
      .prepare(
        "SELECT request_sha256, status_code, response_body FROM idempotency_keys WHERE key_ref = ? AND idempotency_key = ?",
      )
      .get(keyRef, idempotencyKey) as
      { request_sha256: string; status_code: number; response_body: string } | undefined;
    if (row === undefined) return { kind: "new" };
    if (row.request_sha256 !== fingerprint) return { kind: "mismatch" };
    return { kind: "replay", statusCode: row.status_code, body: JSON.parse(row.response_body) };
  }

  remember(
    keyRef: number,
    idempotencyKey: string,
    fingerprint: string,
    statusCode: number,
    body: unknown,
    nowMs = Date.now(),
  ): void {
    this.#db
      .prepare(
        "INSERT OR IGNORE INTO idempotency_keys (key_ref, idempotency_key, request_sha256, status_code, response_body, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(keyRef, idempotencyKey, fingerprint, statusCode, JSON.stringify(body), nowMs);
  }
}
