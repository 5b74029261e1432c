import { createHash, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import type { Database } from "better-sqlite3";

const SCRYPT_KEY_LENGTH = 32;
const sha256 = (text: string) => createHash("sha256").update(text).digest();

export type TokenCheck =
  { status: "valid"; clientId: string } | { status: "expired" } | { status: "unknown" };

/**
 * Buyers' OAuth 2.0 client credentials and the bearer tokens issued to them
 * (migration 0008). Secrets are stored as scrypt hashes with a per-client
 * salt and compared in constant time; revoking a client refuses its
 * credentials and every token it holds at once.
 */
export class PactClientsRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** A new client: the secret is returned once and never stored. */
  create(name: string, nowMs: number): { clientId: string; clientSecret: string } {
    const clientId = `pact-${randomBytes(9).toString("base64url")}`;
    const clientSecret = randomBytes(32).toString("base64url");
    const salt = randomBytes(16);
    this.#db
      .prepare(
        "INSERT INTO pact_clients (client_id, name, secret_salt, secret_hash, created_at_ms) VALUES (?, ?, ?, ?, ?)",
      )
      .run(clientId, name, salt, scryptSync(clientSecret, salt, SCRYPT_KEY_LENGTH), nowMs);
    return { clientId, clientSecret };
  }

  /** Whether the pair names a client that is not revoked. */
  authenticate(clientId: string, clientSecret: string): boolean {
    const row = this.#db
      .prepare(
        "SELECT secret_salt AS salt, secret_hash AS hash FROM pact_clients WHERE client_id = ? AND revoked_at_ms IS NULL",
      )
      .get(clientId) as { salt: Buffer; hash: Buffer } | undefined;
    if (row === undefined) return false;
    return timingSafeEqual(scryptSync(clientSecret, row.salt, SCRYPT_KEY_LENGTH), row.hash);
  }

  /** Revokes a client; returns false if there was no such active client. */
  revoke(clientId: string, nowMs: number): boolean {
    return (
      this.#db
        .prepare(
          "UPDATE pact_clients SET revoked_at_ms = ? WHERE client_id = ? AND revoked_at_ms IS NULL",
        )
        .run(nowMs, clientId).changes === 1
    );
  }

  issueToken(clientId: string, nowMs: number, lifetimeMs: number): string {
    const token = randomBytes(32).toString("base64url");
    this.#db.transaction(() => {
      this.#db.prepare("DELETE FROM pact_tokens WHERE expires_at_ms < ?").run(nowMs - lifetimeMs);
      this.#db
        .prepare("INSERT INTO pact_tokens (token_hash, client_id, expires_at_ms) VALUES (?, ?, ?)")
        .run(sha256(token), clientId, nowMs + lifetimeMs);
    })();
    return token;
  }

  checkToken(token: string, nowMs: number): TokenCheck {
    const row = this.#db
      .prepare(
        `SELECT t.client_id AS clientId, t.expires_at_ms AS expiresAtMs, c.revoked_at_ms AS revokedAtMs
         FROM pact_tokens t JOIN pact_clients c ON c.client_id = t.client_id WHERE t.token_hash = ?`,
      )
      .get(sha256(token)) as
      { clientId: string; expiresAtMs: number; revokedAtMs: number | null } | undefined;
    if (row?.revokedAtMs !== null) return { status: "unknown" };
    if (nowMs >= row.expiresAtMs) return { status: "expired" };
    return { status: "valid", clientId: row.clientId };
  }
}
