import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import {
  type Abi,
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
import {
  energyRegistryAbi,
  jobStampsAbi,
  productLotsAbi,
} from "@energy-intelligence/sdk/contracts/generated/abis";
import { runEi } from "../../../scripts/cli/runEi.testHelper.ts";
import type { HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import {
  openTestSite,
  startTestChain,
  testStream,
  waitFor,
  type TestSite,
} from "../anchor/testing/anchoringFixture.ts";
import {
  HARDHAT_ADMIN_KEY,
  HARDHAT_MANAGER_KEY,
  HARDHAT_ORACLE_KEY,
  type TestDeployment,
} from "../chain/testing/deployTestContracts.ts";
import { OracleKey } from "../config/loadOracleKey.ts";
import { streamConfigSchema } from "../containers/containersConfigSchema.ts";
import { TEST_SITE_ID } from "../testing/deviceFixture.ts";
import { type LotMinter, startLotMinter } from "./startLotMinter.ts";

const projectRoot = path.join(import.meta.dirname, "..", "..", "..");
const MACHINE: Hex = keccak256(stringToHex("press-1"));
const PRODUCT: Hex = keccak256(stringToHex("bracket-a"));
const JOB: Hex = keccak256(stringToHex("job-e2e-1"));

function artifact(name: string): { abi: Abi; bytecode: Hex } {
  const file = path.join(projectRoot, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

describe("lot minting end to end (wallet stamps on a Hardhat node)", () => {
  let directory: string;
  let node: HardhatNode;
  let deployment: TestDeployment;
  let site: TestSite;
  let minter: LotMinter;
  let jobs: { address: Address; startBlock: number };
  let lots: { address: Address; startBlock: number };
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
    const admin = createWalletClient({
      chain,
      transport,
      account: privateKeyToAccount(HARDHAT_ADMIN_KEY),
    });
    const manager = createWalletClient({
      chain,
      transport,
      account: privateKeyToAccount(HARDHAT_MANAGER_KEY),
    });
    const deploy = async (name: string, args: readonly unknown[]) => {
      const { abi, bytecode } = artifact(name);
      const hash = await admin.deployContract({ abi, bytecode, args });
      const receipt = await client.waitForTransactionReceipt({ hash });
      const address = receipt.contractAddress;
      if (address === null || address === undefined) throw new Error(`${name} was not deployed`);
      return {
        address,
        startBlock: Number(receipt.blockNumber),
      };
    };
    jobs = await deploy("JobStamps", [deployment.registry]);
    lots = await deploy("ProductLots", [
      deployment.registry,
      jobs.address,
      "http://127.0.0.1/v1/tokens/{id}.json",
    ]);
    const file = JSON.parse(readFileSync(deployment.deploymentsFile, "utf8")) as Record<
      string,
      unknown
    >;
    writeFileSync(
      deployment.deploymentsFile,
      JSON.stringify({ ...file, JobStamps: jobs, ProductLots: lots }),
    );

    site = await openTestSite({
      rpcUrl: node.rpcUrl,
      deployment,
      startMs: Date.now() - 20_000,
      periodMs: 10_000,
      confirmations: 1,
    });

    const registry = { address: deployment.registry, abi: energyRegistryAbi } as const;
    const mined = async (hash: Hex) => {
      await client.waitForTransactionReceipt({ hash });
    };
    const operatorRole = await client.readContract({
      ...registry,
      functionName: "siteRole",
      args: [
        await client.readContract({ ...registry, functionName: "OPERATOR_ROLE" }),
        TEST_SITE_ID,
      ],
    });
    await mined(
      await manager.writeContract({
        ...registry,
        functionName: "grantRole",
        args: [operatorRole, manager.account.address],
      }),
    );
    await mined(
      await manager.writeContract({
        ...registry,
        functionName: "registerMachine",
        args: [TEST_SITE_ID, MACHINE, "press 1"],
      }),
    );
    await mined(
      await manager.writeContract({
        ...registry,
        functionName: "registerDevice",
        args: [TEST_SITE_ID, site.device.deviceId, MACHINE, 1, keccak256("0x01")],
      }),
    );
    await mined(
      await manager.writeContract({
        ...registry,
        functionName: "registerProduct",
        args: [
          TEST_SITE_ID,
          PRODUCT,
          {
            sku: "BR-A",
            name: "Bracket A",
            cpcCode: "42999",
            declaredUnit: 2,
            unitaryProductAmountMicros: 1_000_000n,
            massPerDeclaredUnitMilligrams: 1_000_000n,
          },
        ],
      }),
    );

    // Readings 1 s apart from 20 s ago to 40 s ahead; the job runs for a few seconds of chain time.
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

    minter = await startLotMinter({
      db: site.db,
      store: site.services.store,
      rpcUrl: node.rpcUrl,
      oracleKey: new OracleKey(HARDHAT_ORACLE_KEY, "env"),
      contracts: { registry: { address: deployment.registry, startBlock: 0 }, jobs, lots },
      siteId: TEST_SITE_ID,
      streams: [streamConfigSchema.parse(testStream(site.device))],
      pollIntervalMs: 200,
      retryMs: 200,
      logger: pino({ level: process.env.EI_TEST_LOG ?? "silent" }),
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
    // Close the periods the readings cover (the fixture's timer is off) and let the anchorer confirm.
    site.services.closeNow(Date.now() + 60_000);
    const lot = await minter.waitForLot(lotId, { timeoutMs: 90_000 });
    assert.equal(lot.state, "minted");
    const client = createPublicClient({ transport: http(node.rpcUrl) });
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
