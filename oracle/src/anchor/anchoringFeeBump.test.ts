import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, http, parseEventLogs } from "viem";
import { dataContainersAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import type { HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import type { TestDeployment } from "../chain/testing/deployTestContracts.ts";
import {
  assertChainStoreIpfsAgree,
  openTestSite,
  startTestChain,
  waitFor,
} from "./testing/anchoringFixture.ts";

const PERIOD_MS = 10_000;
const directory = mkdtempSync(path.join(tmpdir(), "ei-feebump-"));
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
});
after(async () => {
  await node.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe("fee-bump replacement (hardhat node, automine off)", () => {
  it("replaces a transaction pending longer than replaceAfterMs on the same nonce with higher fees, and exactly one anchoring lands", async () => {
    const startMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 6 * PERIOD_MS;
    const site = await openTestSite({
      rpcUrl: node.rpcUrl,
      deployment,
      startMs,
      replaceAfterMs: 1000,
      confirmations: 2,
    });
    try {
      await site.ingest(45);
      // From here on blocks come only from evm_mine: the first transaction stays pending.
      await rpc("evm_setAutomine", [false]);
      const created = site.services.closeNow(startMs + 4 * PERIOD_MS + PERIOD_MS / 2);
      assert.equal(created, 4);
      await waitFor(
        () => (site.services.batches.open()[0]?.transactions.length ?? 0) >= 2,
        "a replacement transaction",
        30_000,
      );
      const [batch] = site.services.batches.open();
      assert.ok(batch !== undefined);
      const [replacement, original] = batch.transactions;
      assert.ok(replacement !== undefined && original !== undefined);
      assert.equal(replacement.nonce, original.nonce, "same nonce");
      assert.ok(
        replacement.maxFeePerGas >= (original.maxFeePerGas * 125n) / 100n,
        "fees raised by at least 25 %",
      );
      assert.ok(replacement.maxPriorityFeePerGas >= (original.maxPriorityFeePerGas * 125n) / 100n);
      const client = createPublicClient({ transport: http(node.rpcUrl) });
      const pending = (await rpc("eth_getBlockByNumber", ["pending", false])) as {
        transactions: string[];
      };
      assert.deepEqual(
        pending.transactions.filter((hash) =>
          batch.transactions.some((transaction) => transaction.txHash === hash),
        ),
        [batch.transactions[0]?.txHash],
        "only the newest transaction of the nonce is in the mempool",
      );

      const fromBlock = await client.getBlockNumber();
      await waitFor(
        async () => {
          await rpc("evm_mine");
          return site.services.containers.countByState().confirmed === created;
        },
        "all containers confirmed",
        30_000,
      );
      await rpc("evm_setAutomine", [true]);
      const logs = await client.getLogs({
        address: deployment.containers,
        fromBlock,
        toBlock: "latest",
      });
      const anchored = parseEventLogs({
        abi: dataContainersAbi,
        logs,
        eventName: "ContainersAnchored",
      });
      assert.equal(anchored.length, 1, "one anchoring transaction landed");
      assert.equal(anchored[0]?.args.headers.length, created);
      const confirmed = site.services.batches.get(batch.batchRef);
      const minedHash = confirmed?.minedTxHash;
      assert.ok(minedHash !== undefined && minedHash !== null);
      assert.equal(anchored[0].transactionHash, minedHash);
      assert.ok(
        batch.transactions.some((transaction) => transaction.txHash === minedHash),
        "the mined transaction is one of the batch's",
      );
      // Every transaction the batch signed other than the mined one never lands.
      for (const transaction of batch.transactions) {
        if (transaction.txHash === minedHash) continue;
        await assert.rejects(client.getTransactionReceipt({ hash: transaction.txHash }));
      }
      const agreed = await assertChainStoreIpfsAgree(site, node.rpcUrl, deployment.containers);
      assert.equal(agreed.checked, created);
    } finally {
      await rpc("evm_setAutomine", [true]).catch(() => undefined);
      await site.close();
    }
  });
});
