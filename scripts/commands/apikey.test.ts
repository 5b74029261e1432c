import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { openStore } from "@energy-intelligence/oracle/store/openStore";
import { ApiKeysRepository } from "@energy-intelligence/oracle/jobs/apiKeys";
import { runEi } from "../cli/runEi.testHelper.ts";

const SITE = `0x${"5a".repeat(32)}`;
const dataDir = mkdtempSync(path.join(tmpdir(), "ei-apikey-"));
after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** A gateway store as the gateway leaves it (every migration applied, the job tables among them). */
function prepareStore(): void {
  const db = openStore({ dataDir });
  db.close();
}

describe("ei apikey", () => {
  it("creates a key shown once, lists it without the secret, revokes it so the gateway refuses it", async () => {
    prepareStore();
    const created = await runEi([
      "apikey",
      "create",
      "--site",
      SITE,
      "--name",
      "MES line 2",
      "--scope",
      "jobs:write",
      "--data-dir",
      dataDir,
      "--json",
    ]);
    assert.equal(created.exitCode, 0, created.stderr);
    const { key, keyId, scopes } = JSON.parse(created.stdout) as {
      key: string;
      keyId: string;
      scopes: string[];
    };
    assert.match(key, /^ei_[0-9a-f]{16}_/u);
    assert.deepEqual(scopes, ["jobs:write"]);

    const listed = await runEi(["apikey", "list", "--data-dir", dataDir]);
    assert.equal(listed.exitCode, 0);
    assert.match(listed.stdout, new RegExp(`${keyId}\\s+active`, "u"));
    assert.ok(!listed.stdout.includes(key.slice(20)), "the secret is never listed");

    const revoked = await runEi(["apikey", "revoke", keyId, "--data-dir", dataDir]);
    assert.equal(revoked.exitCode, 0, revoked.stderr);
    const db = openStore({ dataDir });
    try {
      const checked = new ApiKeysRepository(db).check(key, "jobs:write");
      assert.equal(checked.ok ? "ok" : checked.reason, "api_key_revoked");
    } finally {
      db.close();
    }
  });

  it("exits 2 naming the problem for bad input", async () => {
    prepareStore();
    const badSite = await runEi([
      "apikey",
      "create",
      "--site",
      "0x12",
      "--name",
      "x",
      "--data-dir",
      dataDir,
    ]);
    assert.equal(badSite.exitCode, 2);
    assert.match(badSite.stderr, /--site/u);
    const badScope = await runEi([
      "apikey",
      "create",
      "--site",
      SITE,
      "--name",
      "x",
      "--scope",
      "jobs:admin",
      "--data-dir",
      dataDir,
    ]);
    assert.equal(badScope.exitCode, 2);
    assert.match(badScope.stderr, /unknown scope "jobs:admin"/u);
    const unknownKey = await runEi(["apikey", "revoke", "0123456789abcdef", "--data-dir", dataDir]);
    assert.equal(unknownKey.exitCode, 2);
    assert.match(unknownKey.stderr, /no API key 0123456789abcdef/u);
  });
});
