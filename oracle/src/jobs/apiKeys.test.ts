import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import { migration0006JobStamps } from "../store/migrations/0006-job-stamps.ts";
import { migration0007ApiKeysSms } from "../store/migrations/0007-api-keys-sms.ts";
import { ApiKeysRepository } from "./apiKeys.ts";
import { IdempotencyKeysRepository, requestFingerprint } from "./idempotencyKeys.ts";

const SITE = `0x${"ab".repeat(32)}`;

function open() {
  const db = new BetterSqlite3(":memory:");
  db.exec(migration0006JobStamps.up);
  db.exec(migration0007ApiKeysSms.up);
  return db;
}

describe("ApiKeysRepository", () => {
  it("stores only the SHA-256 of the secret and accepts the key for its scopes", () => {
    const db = open();
    const keys = new ApiKeysRepository(db);
    const { key, record } = keys.create({ siteId: SITE, name: "MES", scopes: ["jobs:write"] });
    assert.match(key, /^ei_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/u);
    const secret = key.slice(20);
    const stored = db.prepare("SELECT * FROM api_keys").get() as Record<string, unknown>;
    assert.equal(stored.secret_sha256, createHash("sha256").update(secret).digest("hex"));
    assert.ok(!JSON.stringify(stored).includes(secret), "the secret itself is nowhere in the row");
    const checked = keys.check(key, "jobs:write");
    assert.ok(checked.ok);
    assert.equal(checked.key.keyId, record.keyId);
    assert.equal(checked.key.siteId, SITE);
  });

  it("refuses a missing, malformed, wrong, out-of-scope or revoked key with its reason", () => {
    const keys = new ApiKeysRepository(open());
    const { key, record } = keys.create({ siteId: SITE, name: "dash", scopes: ["jobs:read"] });
    const reason = (
      presented: string | undefined,
      scope: "jobs:read" | "jobs:write" = "jobs:read",
    ) => {
      const checked = keys.check(presented, scope);
      return checked.ok ? "ok" : checked.reason;
    };
    assert.equal(reason(undefined), "api_key_missing");
    assert.equal(reason("hello"), "api_key_invalid");
    assert.equal(reason(`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`), "api_key_invalid");
    assert.equal(reason(key, "jobs:write"), "scope_missing");
    assert.equal(reason(key), "ok");
    keys.revoke(record.keyId);
    assert.equal(reason(key), "api_key_revoked");
    assert.equal(keys.list()[0]?.revokedAtMs !== null, true);
  });
});

describe("idempotency keys", () => {
  it("fingerprints the request canonically and replays only the same one", () => {
    const db = open();
    const keys = new ApiKeysRepository(db);
    const { record } = keys.create({ siteId: SITE, name: "MES", scopes: ["jobs:write"] });
    const repo = new IdempotencyKeysRepository(db);
    const a = requestFingerprint("POST", "/v1/jobs", { sku: "A", machines: ["m"] });
    assert.equal(a, requestFingerprint("POST", "/v1/jobs", { machines: ["m"], sku: "A" }));
    assert.notEqual(a, requestFingerprint("POST", "/v1/jobs", { machines: ["n"], sku: "A" }));
    assert.deepEqual(repo.lookup(record.keyRef, "k1", a), { kind: "new" });
    repo.remember(record.keyRef, "k1", a, 202, { jobId: "0x1" });
    assert.deepEqual(repo.lookup(record.keyRef, "k1", a), {
      kind: "replay",
      statusCode: 202,
      body: { jobId: "0x1" },
    });
    assert.deepEqual(repo.lookup(record.keyRef, "k1", "other"), { kind: "mismatch" });
  });
});
