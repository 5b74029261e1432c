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

const PERIOD_MS = 1000;
const directory = mkdtempSync(path.join(tmpdir(), "ei-chain-events-"));
let node: HardhatNode;
let deployment: TestDeployment;

async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(node.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

before(async () => {
  ({ node, deployment } = await startTestChain(directory));
  await rpc("evm_setAutomine", [false]);
});
after(async () => {
  await node.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe("anchoring follows the chain (hardhat node mined by hand)", () => {
  it("re-sends a dropped transaction with the same hash, and follows a batch whose block is reorganised away", async () => {
    const startMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 20 * PERIOD_MS;
    const site = await openTestSite({
      rpcUrl: node.rpcUrl,
      deployment,
      startMs,
      periodMs: PERIOD_MS,
      confirmations: 3,
    });
    const batchTx = (): { tx_hash: string; batch_ref: number } | undefined =>
      site.db
        .prepare("SELECT tx_hash, batch_ref FROM anchor_transactions ORDER BY rowid DESC LIMIT 1")
        .get() as { tx_hash: string; batch_ref: number } | undefined;
    try {
      await site.ingest(10);
      site.services.closeNow(startMs + 9 * PERIOD_MS);
      await waitFor(
        () => site.services.containers.countByState().submitted > 0,
        "a batch submitted",
      );
      const sent = batchTx();
      assert.ok(sent !== undefined);

      // Dropped from the node's pool: the anchorer must put the very same transaction back.
      assert.equal(await rpc("hardhat_dropTransaction", [sent.tx_hash]), true);
      await waitFor(
        async () => (await rpc("eth_getTransactionByHash", [sent.tx_hash])) !== null,
        "the same transaction re-sent",
      );
      assert.equal(batchTx()?.tx_hash, sent.tx_hash, "no second transaction for the batch");

      // Mined, then the block is reorganised away before it is 3 deep.
      const snapshot = await rpc("evm_snapshot");
      await rpc("evm_mine");
      await waitFor(
        () =>
          (
            site.db
              .prepare("SELECT state FROM anchor_batches WHERE batch_ref = ?")
              .get(sent.batch_ref) as { state: string }
          ).state === "mined",
        "the batch seen mined",
      );
      assert.equal(await rpc("evm_revert", [snapshot]), true);
      await waitFor(
        () =>
          (
            site.db
              .prepare("SELECT note FROM anchor_batches WHERE batch_ref = ?")
              .get(sent.batch_ref) as { note: string | null }
          ).note?.includes("reorg") === true,
        "the reorg noticed",
      );
      assert.equal(site.services.containers.countByState().confirmed, 0);

      // From here the chain runs on: everything ends confirmed, once.
      for (
        let block = 0;
        block < 40 && site.services.containers.countByState().confirmed < 9;
        block++
      ) {
        await rpc("evm_mine");
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await waitFor(
        () => site.services.containers.countByState().confirmed === 9,
        "all confirmed after the reorg",
      );
      await assertChainStoreIpfsAgree(site, node.rpcUrl, deployment.containers);
    } finally {
      await site.close();
    }
  });
});
