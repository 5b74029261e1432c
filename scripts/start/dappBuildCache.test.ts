import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { dappSourceHash, withPidLock } from "./dappBuildCache.ts";

const root = mkdtempSync(path.join(tmpdir(), "ei-dapp-cache-"));
after(() => {
  rmSync(root, { recursive: true, force: true });
});

function dappFolder(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, "app"), { recursive: true });
  writeFileSync(path.join(dir, "next.config.ts"), "export default {};\n");
  writeFileSync(path.join(dir, "app", "page.tsx"), "export default function Page() {}\n");
  return dir;
}

describe("dappSourceHash", () => {
  it("changes with a source file and not with what next build writes", async () => {
    const dir = dappFolder("hash");
    const before = await dappSourceHash(dir);
    // next build writes these on a fresh clone; a changed hash would make the next test
    // process rebuild (deleting the build) while the first one serves it.
    writeFileSync(path.join(dir, "next-env.d.ts"), '/// <reference types="next" />\n');
    mkdirSync(path.join(dir, ".next-test", "types"), { recursive: true });
    writeFileSync(path.join(dir, ".next-test", "BUILD_ID"), "x");
    mkdirSync(path.join(dir, "app", "test"), { recursive: true });
    writeFileSync(path.join(dir, "app", "test", "x.ts"), "1");
    writeFileSync(path.join(dir, "app", "page.test.tsx"), "1");
    assert.equal(await dappSourceHash(dir), before);

    writeFileSync(path.join(dir, "app", "page.tsx"), "export default function Page() { 1; }\n");
    assert.notEqual(await dappSourceHash(dir), before);
  });
});

describe("withPidLock", () => {
  it("runs one holder at a time and says once that it waits", async () => {
    const lock = path.join(root, "lock", "build.lock");
    const order: string[] = [];
    let waits = 0;
    const hold = (name: string) => async (): Promise<void> => {
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 700));
      order.push(`${name} out`);
    };
    await Promise.all([
      withPidLock(lock, () => (waits += 1), hold("a")),
      withPidLock(lock, () => (waits += 1), hold("b")),
    ]);
    assert.deepEqual(order, ["a in", "a out", "b in", "b out"]);
    assert.equal(waits, 1);
  });

  it("takes over a lock whose owner died, and releases it when the body throws", async () => {
    const lock = path.join(root, "stale", "build.lock");
    mkdirSync(path.dirname(lock), { recursive: true });
    writeFileSync(lock, "2147483646");
    await assert.rejects(
      withPidLock(
        lock,
        () => assert.fail("a dead owner is not waited for"),
        () => {
          throw new Error("build failed");
        },
      ),
      /build failed/u,
    );
    assert.equal(
      await withPidLock(
        lock,
        () => assert.fail("released"),
        () => Promise.resolve(7),
      ),
      7,
    );
  });
});
