import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { computeUnixfsBlocks } from "@energy-intelligence/sdk";
import { energyRegistryAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import type { HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import { runEi } from "../../../scripts/cli/runEi.testHelper.ts";
import {
  HARDHAT_MANAGER_KEY,
  HARDHAT_ORACLE_KEY,
  type TestDeployment,
} from "../chain/testing/deployTestContracts.ts";
import { TEST_SITE_ID } from "../testing/deviceFixture.ts";
import { openTestSite, startTestChain, waitFor } from "./testing/anchoringFixture.ts";

/** Hardhat's development account #4: the oracle's next key in this test. */
const NEW_ORACLE_KEY =
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a" as const;
const PERIOD_MS = 10_000;
const directory = mkdtempSync(path.join(tmpdir(), "ei-rotation-"));
let node: HardhatNode;
let deployment: TestDeployment;

before(async () => {
  ({ node, deployment } = await startTestChain(directory, { blockIntervalMs: 200 }));
});
after(async () => {
  await node.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe("oracle key rotation (hardhat node, Helia on disk, SQLite)", () => {
  it("signs containers closed after the switch with the new key; the registry moves the role; containers signed before still verify", async () => {
    const dataDir = path.join(directory, "gateway");
    const startMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 10 * PERIOD_MS;
    const oldOracle = privateKeyToAccount(HARDHAT_ORACLE_KEY).address;
    const newOracle = privateKeyToAccount(NEW_ORACLE_KEY).address;
    const client = createPublicClient({ transport: http(node.rpcUrl) });

    // Before: the old key anchors the first three periods.
    let site = await openTestSite({ rpcUrl: node.rpcUrl, deployment, startMs, dataDir });
    await site.ingest(75);
    assert.equal(site.services.closeNow(startMs + 3 * PERIOD_MS + PERIOD_MS / 2), 3);
    await waitFor(
      () => site.services.containers.countByState().confirmed === 3,
      "old-key anchoring",
    );
    await site.close();

    // The operator's step: the site manager moves the oracle role (EnergyRegistry.rotateOracle
    // ends the old key's term at this block and opens the new key's).
    const manager = createWalletClient({
      chain: { ...hardhat, id: deployment.chainId },
      transport: http(node.rpcUrl),
      account: privateKeyToAccount(HARDHAT_MANAGER_KEY),
    });
    const rotation = await client.waitForTransactionReceipt({
      hash: await manager.writeContract({
        address: deployment.registry,
        abi: energyRegistryAbi,
        functionName: "rotateOracle",
        args: [TEST_SITE_ID, oldOracle, newOracle],
      }),
    });
    assert.equal(rotation.status, "success");

    // After: the same store, the gateway restarted with the new key.
    site = await openTestSite({
      rpcUrl: node.rpcUrl,
      deployment,
      startMs,
      dataDir,
      oracleKey: NEW_ORACLE_KEY,
    });
    try {
      await site.ingest(50);
      assert.equal(site.services.closeNow(startMs + 6 * PERIOD_MS + PERIOD_MS / 2), 3);
      await waitFor(
        () => site.services.containers.countByState().confirmed === 6,
        "new-key anchoring",
      );

      const rows = site.services.containers.list({ limit: 100 }).reverse();
      const signers = rows.map((row) => {
        assert.ok(row.batchRef !== null);
        return site.services.batches.get(row.batchRef)?.signer.toLowerCase();
      });
      assert.deepEqual(signers, [
        ...Array<string>(3).fill(oldOracle.toLowerCase()),
        ...Array<string>(3).fill(newOracle.toLowerCase()),
      ]);
      const isOracle = (account: `0x${string}`) =>
        client.readContract({
          address: deployment.registry,
          abi: energyRegistryAbi,
          functionName: "isOracle",
          args: [TEST_SITE_ID, account],
        });
      assert.equal(await isOracle(oldOracle), false);
      assert.equal(await isOracle(newOracle), true);

      // `ei verify container` on every container, from the chain and the blocks alone.
      const blocksDir = path.join(directory, "blocks");
      mkdirSync(blocksDir, { recursive: true });
      for (const row of rows) {
        for (const block of computeUnixfsBlocks(site.services.containers.document(row.containerRef))
          .blocks) {
          writeFileSync(path.join(blocksDir, block.cid.toString()), block.bytes);
        }
      }
      for (const row of rows) {
        const run = await runEi([
          "--json",
          "verify",
          "container",
          BigInt(row.containerId).toString(),
          "--rpc",
          node.rpcUrl,
          "--ipfs",
          blocksDir,
          "--deployments",
          deployment.deploymentsFile,
        ]);
        assert.equal(run.exitCode, 0, `container ${row.containerRef}: ${run.stdout}${run.stderr}`);
      }
    } finally {
      await site.close();
    }
  });
});
