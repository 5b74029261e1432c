import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import type { TestDeployment } from "../chain/testing/deployTestContracts.ts";
import {
  assertChainStoreIpfsAgree,
  openTestSite,
  startTestChain,
  waitFor,
} from "./testing/anchoringFixture.ts";

const PERIOD_MS = 10_000;
const directory = mkdtempSync(path.join(tmpdir(), "ei-anchoring-"));
let node: HardhatNode;
let deployment: TestDeployment;

before(async () => {
  ({ node, deployment } = await startTestChain(directory, { blockIntervalMs: 200 }));
});
after(async () => {
  await node.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe("anchoring end to end (hardhat node, Helia on disk, SQLite)", () => {
  it("closes every period once, stores it in IPFS, anchors it in batches and confirms it; chain, store and IPFS agree", async () => {
    const startMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 12 * PERIOD_MS;
    const site = await openTestSite({ rpcUrl: node.rpcUrl, deployment, startMs });
    try {
      await site.ingest(115);
      const created = site.services.closeNow();
      assert.ok(created >= 11, `closed ${created} periods`);
      await waitFor(
        () => site.services.containers.countByState().confirmed === created,
        "all containers confirmed",
      );
      // A second pass closes nothing again.
      assert.equal(site.services.closeNow(), 0);

      const rows = site.services.containers.list({ limit: 1000 }).reverse();
      assert.equal(rows.length, created);
      rows.forEach((row, index) => {
        assert.equal(
          row.periodStartMs,
          startMs + index * PERIOD_MS,
          "contiguous periods, none twice",
        );
        assert.equal(row.state, "confirmed");
      });
      const batchRefs = new Set(rows.map((row) => row.batchRef));
      assert.ok(
        batchRefs.size < rows.length,
        `many containers per transaction (${batchRefs.size} batches)`,
      );
      const lastWithData = rows.findIndex((row) => row.energyFlags.includes("held"));
      assert.ok(
        lastWithData >= 0,
        "the period the data stops in is closed with a held (flagged) end",
      );

      const agreed = await assertChainStoreIpfsAgree(site, node.rpcUrl, deployment.containers);
      assert.equal(agreed.checked, created);
    } finally {
      await site.close();
    }
  });

  it("records readings that arrive after their period closed as late, and keeps closing the chain of periods", async () => {
    const periodMs = 1000;
    const startMs = Math.floor(Date.now() / periodMs) * periodMs - 40 * periodMs;
    const site = await openTestSite({ rpcUrl: node.rpcUrl, deployment, startMs, periodMs });
    try {
      await site.ingest(10);
      // Past grace with no reading after 10 s: periods 10 s..16 s close with a held (flagged) end.
      assert.equal(site.services.closeNow(), 16);
      await site.ingest(25);
      let closed = 0;
      for (let pass = site.services.closeNow(); pass > 0; pass = site.services.closeNow())
        closed += pass;
      assert.ok(closed >= 19, `closed ${closed} more`);
      const rows = site.services.containers.list({ limit: 1000 });
      const late = rows.reduce((sum, row) => sum + row.lateReadingCount, 0);
      assert.equal(late, 6, "the readings of 10 s..15 s came after their periods closed");
      assert.ok(rows.some((row) => row.energyFlags.includes("held")));
    } finally {
      await site.close();
    }
  });
});
