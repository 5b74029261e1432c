import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { Hex } from "viem";
import { InvalidInputError } from "@energy-intelligence/sdk/errors/index";

/** What a key may do. `jobs:write` starts and stops jobs; `jobs:read` reads them. */
export const API_SCOPES = ["jobs:read", "jobs:write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKeyRecord {
  keyRef: number;
  keyId: string;
  siteId: Hex;
  name: string;
  scopes: ApiScope[];
  createdAtMs: number;
  revokedAtMs: number | null;
  lastUsedAtMs: number | null;
}

interface ApiKeyRow {
  key_ref: number;
  key_id: string;
  site_id: string;
  name: string;
  scopes: string;
  secret_sha256: string;
  created_at_ms: number;
  revoked_at_ms: number | null;
  last_used_at_ms: number | null;
}

function fromRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    keyRef: row.key_ref,
    keyId: row.key_id,
    siteId: row.site_id as Hex,
    name: row.name,
    scopes: JSON.parse(row.scopes) as ApiScope[],
    createdAtMs: row.created_at_ms,
    revokedAtMs: row.revoked_at_ms,
    lastUsedAtMs: row.last_used_at_ms,
  };
}

/** `ei_<keyId>_<secret>`: the id (public, 16 hex) finds the row, the secret (256 bits) proves it. */
const KEY_PATTERN = /^ei_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/u;

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

export type ApiKeyCheck =
  | { ok: true; key: ApiKeyRecord }
  | {
      ok: false;
      reason: "api_key_missing" | "api_key_invalid" | "api_key_revoked" | "scope_missing";
      detail: string;
    };

/**
 * Per-site API keys for the web2 stamping API. The full key is shown once at
 * creation; the store keeps its SHA-256 only (the secret is 256 random bits,
 * so no slow hash is needed), compared in constant time. Revoking is
 * immediate and permanent; the row stays for the record.
 */
export class ApiKeysRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Creates a key and returns it in full, the only time it is ever visible. */
  create(parameters: {
    siteId: string;
    name: string;
    scopes: readonly ApiScope[];
    nowMs?: number;
  }): {
    key: string;
    record: ApiKeyRecord;
  } {
    if (!/^0x[0-9a-fA-F]{64}$/u.test(parameters.siteId))
      throw new InvalidInputError("site", "must be 0x and 64 hex digits");
    if (parameters.name.trim() === "") throw new InvalidInputError("name", "must not be empty");
    if (parameters.scopes.length === 0)
      throw new InvalidInputError("scopes", "give at least one scope");
    for (const scope of parameters.scopes)
      if (!API_SCOPES.includes(scope))
        throw new InvalidInputError(
          "scopes",
          `unknown scope ${scope}; known: ${API_SCOPES.join(", ")}`,
        );
    const keyId = randomBytes(8).toString("hex");
    const secret = randomBytes(32).toString("base64url");
    const result = this.#db
      .prepare(
        "INSERT INTO api_keys (key_id, site_id, name, scopes, secret_sha256, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(
        keyId,
        parameters.siteId.toLowerCase(),
        parameters.name.trim(),
        JSON.stringify([...new Set(parameters.scopes)].sort()),
        sha256(secret).toString("hex"),
        parameters.nowMs ?? Date.now(),
      );
    const record = this.get(Number(result.lastInsertRowid));
    if (record === undefined) throw new Error("api key vanished after insert");
    return { key: `ei_${keyId}_${secret}`, record };
  }

  get(keyRef: number): ApiKeyRecord | undefined {
    const row = this.#db.prepare("SELECT * FROM api_keys WHERE key_ref = ?").get(keyRef) as
      ApiKeyRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  list(siteId?: string): ApiKeyRecord[] {
    const rows = (
      siteId === undefined
        ? this.#db.prepare("SELECT * FROM api_keys ORDER BY key_ref").all()
        : this.#db
            .prepare("SELECT * FROM api_keys WHERE site_id = ? ORDER BY key_ref")
            .all(siteId.toLowerCase())
    ) as ApiKeyRow[];
    return rows.map(fromRow);
  }

  /** Revokes by key id (the 16 hex in the key, as `ei apikey list` shows it). */
  revoke(keyId: string, nowMs = Date.now()): ApiKeyRecord {
    const row = this.#db.prepare("SELECT * FROM api_keys WHERE key_id = ?").get(keyId) as
      ApiKeyRow | undefined;
    if (row === undefined)
      throw new InvalidInputError("keyId", `no API key ${keyId}`, {
        hints: ["List keys with `ei apikey list`."],
      });
    if (row.revoked_at_ms === null)
      this.#db
        .prepare("UPDATE api_keys SET revoked_at_ms = ? WHERE key_ref = ?")
        .run(nowMs, row.key_ref);
    const record = this.get(row.key_ref);
    if (record === undefined) throw new Error("api key vanished");
    return record;
  }

  /** Checks a bearer key and a scope; records the use. */
  check(presented: string | undefined, scope: ApiScope, nowMs = Date.now()): ApiKeyCheck {
    if (presented === undefined || presented === "")
      return { ok: false, reason: "api_key_missing", detail: "send `Authorization: Bearer ei_…`" };
    const match = KEY_PATTERN.exec(presented);
    if (match === null)
      return { ok: false, reason: "api_key_invalid", detail: "not an Energy-Intelligence API key" };
    const [, keyId = "", secret = ""] = match;
    const row = this.#db.prepare("SELECT * FROM api_keys WHERE key_id = ?").get(keyId) as
      ApiKeyRow | undefined;
    // Compare against a dummy hash when the id is unknown, so timing does not tell ids apart.
    const expected = Buffer.from(row?.secret_sha256 ?? "00".repeat(32), "hex");
    const matches = timingSafeEqual(expected, sha256(secret)) && row !== undefined;
    if (!matches)
      return { ok: false, reason: "api_key_invalid", detail: "unknown key or wrong secret" };
    if (row.revoked_at_ms !== null)
      return {
        ok: false,
        reason: "api_key_revoked",
        detail: `key ${keyId} was revoked at ${new Date(row.revoked_at_ms).toISOString()}`,
      };
    const key = fromRow(row);
    if (!key.scopes.includes(scope))
      return {
        ok: false,
        reason: "scope_missing",
        detail: `key ${keyId} lacks the ${scope} scope`,
      };
    this.#db
      .prepare("UPDATE api_keys SET last_used_at_ms = ? WHERE key_ref = ?")
      .run(nowMs, row.key_ref);
    return { ok: true, key };
  }
}
