import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  keccak256,
  numberToHex,
  stringToHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { jobStampsAbi, productLotsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { runEi } from "../../../scripts/cli/runEi.testHelper.ts";
import type { HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import {
  openTestSite,
  startTestChain,
  waitFor,
  type TestSite,
} from "../anchor/testing/anchoringFixture.ts";
import { loadDeploymentsFile } from "../chain/loadDeploymentsFile.ts";
import {
  HARDHAT_MANAGER_KEY,
  registerTestSiteParts,
  type TestDeployment,
} from "../chain/testing/deployTestContracts.ts";
import { TEST_SITE_ID } from "../testing/deviceFixture.ts";
import {
  meterTestSitePastClocks,
  startTestLotMinter,
  testReadingsStartMs,
} from "../jobs/testing/stampingFixture.ts";
import type { LotMinter } from "./startLotMinter.ts";

const MACHINE: Hex = keccak256(stringToHex("press-1"));
const PRODUCT: Hex = keccak256(stringToHex("bracket-a"));
const JOB: Hex = keccak256(stringToHex("job-e2e-1"));

describe("lot minting end to end (wallet stamps on a Hardhat node)", () => {
  let directory: string;
  let node: HardhatNode;
  let deployment: TestDeployment;
  let site: TestSite;
  let minter: LotMinter;
  let jobs: { address: Address; startBlock: number };
  let lots: { address: Address; startBlock: number };
  let registry: { address: Address; startBlock: number };
  let lotId: Hex;

  before(async () => {
    directory = mkdtempSync(path.join(tmpdir(), "ei-lots-"));
    ({ node, deployment } = await startTestChain(directory, { blockIntervalMs: 250 }));
    const transport = http(node.rpcUrl);
    const chain = defineChain({
      id: deployment.chainId,
      name: "hardhat",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [node.rpcUrl] } },
    });
    const client = createPublicClient({ chain, transport, pollingInterval: 50 });
    const manager = createWalletClient({
      chain,
      transport,
      account: privateKeyToAccount(HARDHAT_MANAGER_KEY),
    });
    // Addresses and deploy blocks as the gateway reads them: from the deployments file.
    const deployed = loadDeploymentsFile(deployment.deploymentsFile, [
      "EnergyRegistry",
      "JobStamps",
      "ProductLots",
    ]);
    jobs = deployed.JobStamps;
    lots = deployed.ProductLots;
    registry = deployed.EnergyRegistry;

    site = await openTestSite({
      rpcUrl: node.rpcUrl,
      deployment,
      startMs: await testReadingsStartMs(client),
      periodMs: 10_000,
      confirmations: 1,
    });
    await registerTestSiteParts({
      rpcUrl: node.rpcUrl,
      deployment,
      siteId: TEST_SITE_ID,
      operators: [manager.account.address],
      machines: [{ machineId: MACHINE, name: "press 1" }],
      devices: [{ deviceId: site.device.deviceId, machineId: MACHINE }],
      products: [{ productId: PRODUCT, sku: "BR-A", name: "Bracket A" }],
    });
    const mined = async (hash: Hex) => {
      await client.waitForTransactionReceipt({ hash });
    };

    // Readings 1 s apart from 20 s before the earlier clock, 60 s of them; the job runs for a few
    // seconds of chain time.
    await site.ingest(60);
    await mined(
      await manager.writeContract({
        address: jobs.address,
        abi: jobStampsAbi,
        functionName: "startJob",
        args: [TEST_SITE_ID, JOB, [MACHINE], PRODUCT],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await mined(
      await manager.writeContract({
        address: jobs.address,
        abi: jobStampsAbi,
        functionName: "stopJob",
        args: [TEST_SITE_ID, JOB, PRODUCT, 12n],
      }),
    );
    lotId = numberToHex(
      await client.readContract({
        address: lots.address,
        abi: productLotsAbi,
        functionName: "lotIdOf",
        args: [TEST_SITE_ID, PRODUCT, [JOB]],
      }),
      { size: 32 },
    );

    minter = await startTestLotMinter({
      site,
      rpcUrl: node.rpcUrl,
      contracts: { registry, jobs, lots },
    });
  });

  after(async () => {
    await minter.stop();
    await site.close();
    await node.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it("waits for anchored containers, then mints the lot with supply = units, once", async () => {
    await waitFor(() => minter.get(lotId) !== undefined, "the lot to be requested", 30_000);
    assert.equal(minter.get(lotId)?.state, "pending");
    const client = createPublicClient({ transport: http(node.rpcUrl) });
    // Meter and close the periods past the stop on both clocks (the fixture's timer is off), and
    // let the anchorer confirm.
    await meterTestSitePastClocks(site, client);
    const lot = await minter.waitForLot(lotId, { timeoutMs: 90_000 });
    assert.equal(lot.state, "minted");
    const record = await client.readContract({
      address: lots.address,
      abi: productLotsAbi,
      functionName: "lot",
      args: [BigInt(lotId)],
    });
    assert.equal(record.units, 12n);
    assert.ok(record.energyMilliWattHours > 0n);
    const supply = await client.readContract({
      address: lots.address,
      abi: productLotsAbi,
      functionName: "totalSupply",
      args: [BigInt(lotId)],
    });
    assert.equal(supply, 12n);
  });

  it("ei verify lot passes on the minted lot and fails on a substituted document", async () => {
    const ipfsDir = path.join(directory, "ipfs");
    mkdirSync(ipfsDir, { recursive: true });
    const document = minter.document(lotId);
    assert.ok(document);
    writeFileSync(path.join(ipfsDir, "footprint.json"), document);
    for (const row of site.services.containers.list({ limit: 1000 })) {
      writeFileSync(
        path.join(ipfsDir, `container-${row.containerRef}.json`),
        site.services.containers.document(row.containerRef),
      );
    }
    const args = [
      "--json",
      "verify",
      "lot",
      BigInt(lotId).toString(),
      "--rpc",
      node.rpcUrl,
      "--ipfs",
      ipfsDir,
      "--deployments",
      deployment.deploymentsFile,
    ];
    const honest = await runEi(args);
    assert.equal(honest.exitCode, 0, honest.stdout + honest.stderr);
    const report = JSON.parse(honest.stdout) as { ok: boolean; complete: boolean };
    assert.ok(report.ok && report.complete, honest.stdout);

    const tampered = JSON.parse(Buffer.from(document).toString("utf8")) as {
      lot: { total: { energyMilliWattHours: string } };
    };
    tampered.lot.total.energyMilliWattHours = "1";
    writeFileSync(path.join(ipfsDir, "footprint.json"), JSON.stringify(tampered));
    const failed = await runEi(args);
    assert.equal(failed.exitCode, 1, failed.stdout + failed.stderr);
    const failure = JSON.parse(failed.stdout) as { firstFailure: { id: string; detail: string } };
    assert.equal(failure.firstFailure.id, "fetch");
  });
});
