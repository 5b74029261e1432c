import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { verifyPassword } from "../../dapp/src/portal/passwordHash.ts";
import { openPortalDatabase } from "../../dapp/src/portal/portalDatabase.ts";
import { PortalUsers, hasSiteRole } from "../../dapp/src/portal/portalUsers.ts";
import { runEi } from "../cli/runEi.testHelper.ts";

const SITE = `0x${"5a".repeat(32)}` as const;
const OTHER = `0x${"6b".repeat(32)}` as const;
const dataDir = mkdtempSync(path.join(tmpdir(), "ei-portal-cli-"));
after(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const usersOf = () => {
  const db = openPortalDatabase(path.join(dataDir, "portal.sqlite"));
  return { db, users: new PortalUsers(db) };
};

describe("ei portal", () => {
  it("adds a first user whose password signs in, with the role at the site", async () => {
    const added = await runEi(
      [
        "portal",
        "user",
        "add",
        "ana",
        "--site",
        SITE,
        "--password-stdin",
        "--data-dir",
        dataDir,
        "--json",
      ],
      "a password long enough\n",
    );
    assert.equal(added.exitCode, 0, added.stderr);
    assert.deepEqual(JSON.parse(added.stdout), {
      username: "ana",
      roles: [{ siteId: SITE, role: "operator" }],
    });
    const { db, users } = usersOf();
    try {
      const ana = users.byUsername("ana");
      assert.ok(ana?.passwordHash != null);
      assert.match(ana.passwordHash, /^scrypt\$N=131072,r=8,p=1\$/u);
      assert.equal(await verifyPassword("a password long enough", ana.passwordHash), true);
      assert.equal(hasSiteRole(ana, SITE, "operator"), true);
      assert.equal(hasSiteRole(ana, OTHER, "operator"), false);
    } finally {
      db.close();
    }
  });

  it("generates a password when none is piped and prints it once", async () => {
    const added = await runEi([
      "portal",
      "user",
      "add",
      "max",
      "--site",
      SITE,
      "--role",
      "site-manager",
      "--data-dir",
      dataDir,
      "--json",
    ]);
    assert.equal(added.exitCode, 0, added.stderr);
    const { password } = JSON.parse(added.stdout) as { password: string };
    const { db, users } = usersOf();
    try {
      assert.equal(
        await verifyPassword(password, users.byUsername("max")?.passwordHash ?? ""),
        true,
      );
    } finally {
      db.close();
    }
    const listed = await runEi(["portal", "user", "list", "--data-dir", dataDir, "--json"]);
    assert.doesNotMatch(listed.stdout, /scrypt|password/u);
  });

  it("refuses a duplicate user, a short password and a bad site with exit 2, changing nothing", async () => {
    const duplicate = await runEi([
      "portal",
      "user",
      "add",
      "ANA",
      "--site",
      SITE,
      "--data-dir",
      dataDir,
    ]);
    assert.equal(duplicate.exitCode, 2);
    assert.match(duplicate.stderr, /exists already/u);
    const short = await runEi(
      ["portal", "user", "add", "eve", "--site", SITE, "--password-stdin", "--data-dir", dataDir],
      "short\n",
    );
    assert.equal(short.exitCode, 2);
    assert.match(short.stderr, /at least 12 characters/u);
    const badSite = await runEi([
      "portal",
      "user",
      "add",
      "eve",
      "--site",
      "0x12",
      "--data-dir",
      dataDir,
    ]);
    assert.equal(badSite.exitCode, 2);
    const { db, users } = usersOf();
    try {
      assert.deepEqual(
        users.list().map((user) => user.username),
        ["ana", "max"],
      );
    } finally {
      db.close();
    }
  });

  it("grants, disables and creates the relay key once, owner-readable only", async () => {
    assert.equal(
      (await runEi(["portal", "user", "grant", "ana", "--site", OTHER, "--data-dir", dataDir]))
        .exitCode,
      0,
    );
    assert.equal(
      (await runEi(["portal", "user", "disable", "ana", "--data-dir", dataDir])).exitCode,
      0,
    );
    const { db, users } = usersOf();
    try {
      const ana = users.byUsername("ana");
      assert.ok(ana !== undefined);
      assert.equal(ana.disabled, true);
      assert.equal(hasSiteRole(ana, OTHER, "operator"), false, "a disabled user holds no role");
      assert.equal(ana.roles.length, 2);
    } finally {
      db.close();
    }
    const first = await runEi(["portal", "relay-key", "--data-dir", dataDir, "--json"]);
    const second = await runEi(["portal", "relay-key", "--data-dir", dataDir, "--json"]);
    const a = JSON.parse(first.stdout) as { address: string; created: boolean; file: string };
    const b = JSON.parse(second.stdout) as { address: string; created: boolean };
    assert.deepEqual([a.created, b.created, a.address], [true, false, b.address]);
    assert.equal(statSync(a.file).mode & 0o777, 0o600);
  });
});
