import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import type { TestDeployment } from "../chain/testing/deployTestContracts.ts";
import { createHeliaContentStore } from "../ipfs/createHeliaContentStore.ts";
import {
  assertChainStoreIpfsAgree,
  openTestSite,
  startTestChain,
  waitFor,
} from "./testing/anchoringFixture.ts";
import { type SwitchableContentStore, withOutage } from "./testing/withOutage.ts";

const PERIOD_MS = 1000;
const directory = mkdtempSync(path.join(tmpdir(), "ei-outage-"));
let node: HardhatNode;
let deployment: TestDeployment;

before(async () => {
  ({ node, deployment } = await startTestChain(directory, { blockIntervalMs: 150 }));
});
after(async () => {
  await node.stop();
  rmSync(directory, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Closes every period due at `nowMs` (a pass closes at most 16 per stream). */
function closeAll(site: { services: { closeNow(nowMs?: number): number } }, nowMs: number): number {
  let total = 0;
  for (
    let closed = site.services.closeNow(nowMs);
    closed > 0;
    closed = site.services.closeNow(nowMs)
  )
    total += closed;
  return total;
}

describe("anchoring waits out outages (hardhat node, Helia on disk, SQLite)", () => {
  it("keeps ingesting and closing while the chain is paused (SIGSTOP), then catches up", async () => {
    const startMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 60 * PERIOD_MS;
    const site = await openTestSite({
      rpcUrl: node.rpcUrl,
      deployment,
      startMs,
      periodMs: PERIOD_MS,
    });
    try {
      // The clock the closer is given follows the readings, as if they arrived live.
      await site.ingest(10);
      closeAll(site, startMs + 9 * PERIOD_MS);
      await waitFor(
        () => site.services.containers.countByState().confirmed > 0,
        "anchoring before the outage",
      );

      assert.ok(node.process.kill("SIGSTOP"));
      try {
        await site.ingest(25);
        const closed = closeAll(site, startMs + 34 * PERIOD_MS);
        assert.equal(closed, 25, "every period of the outage closed");
        await waitFor(
          () => !site.services.anchorer.chainUp,
          "the anchorer to notice the outage",
          30_000,
        );
        await sleep(1500);
        const during = site.services.containers.countByState();
        assert.ok(during.stored + during.submitted >= 20, `waiting: ${JSON.stringify(during)}`);
      } finally {
        node.process.kill("SIGCONT");
      }
      await waitFor(
        () => {
          const counts = site.services.containers.countByState();
          return counts.built + counts.stored + counts.submitted === 0;
        },
        "catching up after the outage",
        120_000,
      );
      const agreed = await assertChainStoreIpfsAgree(site, node.rpcUrl, deployment.containers);
      assert.ok(agreed.checked >= 30);
    } finally {
      await site.close();
    }
  });

  it("keeps ingesting and closing while IPFS is down, then stores and anchors everything", async () => {
    const startMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 30 * PERIOD_MS;
    let store: SwitchableContentStore | undefined;
    const site = await openTestSite({
      rpcUrl: node.rpcUrl,
      deployment,
      startMs,
      periodMs: PERIOD_MS,
      store: async (dataDir) => {
        store = withOutage(
          await createHeliaContentStore({ directory: path.join(dataDir, "ipfs") }),
        );
        return store;
      },
    });
    try {
      assert.ok(store !== undefined);
      store.down = true;
      await site.ingest(25);
      const closed = closeAll(site, startMs + 24 * PERIOD_MS);
      assert.equal(closed, 24, "every period closed while IPFS is down");
      await waitFor(
        () => store?.refused !== undefined && store.refused >= 2,
        "stores refused and retried",
      );
      const during = site.services.containers.countByState();
      assert.equal(during.built, closed, "nothing is anchored before its document is in IPFS");
      assert.equal(site.services.anchorer.storeUp, false);
      store.down = false;
      await waitFor(
        () => site.services.containers.countByState().confirmed === closed,
        "catching up",
        120_000,
      );
      assert.equal(site.services.anchorer.storeUp, true);
      await assertChainStoreIpfsAgree(site, node.rpcUrl, deployment.containers);
    } finally {
      await site.close();
    }
  });
});
