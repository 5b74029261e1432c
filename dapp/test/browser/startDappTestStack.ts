import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";
import {
  type Abi,
  type Address,
  type Hex,
  createPublicClient,
  keccak256,
  numberToHex,
  parseEther,
  stringToHex,
} from "viem";
import { type PrivateKeyAccount, generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  energyRegistryAbi,
  jobStampsAbi,
  productLotsAbi,
} from "@energy-intelligence/sdk/contracts/generated/abis";
import {
  openTestSite,
  startTestChain,
  waitFor,
  type TestSite,
} from "@energy-intelligence/oracle/anchor/testing/anchoringFixture";
import {
  hardhatTestClients,
  registerTestSiteParts,
} from "@energy-intelligence/oracle/chain/testing/deployTestContracts";
import { ipfsRoutes } from "@energy-intelligence/oracle/api/routes/ipfsRoutes";
import type { LotMinter } from "@energy-intelligence/oracle/lots/startLotMinter";
import {
  meterTestSitePastClocks,
  meterTestSiteThrough,
  startTestLotMinter,
  testReadingsStartMs,
} from "@energy-intelligence/oracle/jobs/testing/stampingFixture";
import { TEST_SITE_ID } from "@energy-intelligence/oracle/testing/deviceFixture";
import { startEmbeddedIndexer } from "../../../subgraph/src/host/startEmbeddedIndexer.ts";
import { findFreePort } from "../../../scripts/services/findFreePort.ts";
import { buildDappForTests, startNextServer } from "./buildDappForTests.ts";

const PROJECT_ROOT = path.join(import.meta.dirname, "..", "..", "..");
export const TEST_MACHINE: Hex = keccak256(stringToHex("machine:dapp-browser-test"));
export const TEST_PRODUCT: Hex = keccak256(stringToHex("product:dapp-browser-test"));
const TEST_JOB: Hex = keccak256(stringToHex("job:dapp-browser-test"));
export const TEST_UNITS = 12n;

function artifact(name: string): { abi: Abi; bytecode: Hex } {
  const file = path.join(PROJECT_ROOT, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

export interface DappTestStack {
  dappUrl: string;
  rpcUrl: string;
  gatewayUrl: string;
  subgraphUrl: string;
  chainId: number;
  deploymentsFile: string;
  /** The lot minted from the test job, as a decimal token id. */
  lotId: string;
  /** A container the lot's footprint used, as a decimal token id. */
  containerId: string;
  site: TestSite;
  siteId: Hex;
  /** The five contracts, as the deployments file names them. */
  contracts: Record<"EnergyRegistry" | "JobStamps" | "ProductLots" | "AuditAttestations", Address>;
  /** A funded account with the site's operator role, for the wallet pages. */
  operator: PrivateKeyAccount;
  /** A funded account with the registry's AUDITOR_ROLE. */
  auditor: PrivateKeyAccount;
  /** A funded account without any role. */
  stranger: PrivateKeyAccount;
  /**
   * Meters the machine up to `untilMs` (the test device's readings, 1 s apart, go on from where
   * they stopped) and closes every container period up to then, as the gateway's timer would:
   * what lets the lot minter mint a job stopped before `untilMs`.
   */
  meterThrough(untilMs: number): Promise<void>;
  /** `meterThrough` 12 s past the later of the wall clock and the chain head's (stampingFixture). */
  meterPastClocks(): Promise<void>;
  /** The gateway's lot minter (its records say why a lot waits). */
  minter: LotMinter;
  /** Resolves once the indexer has read the chain up to `block`. */
  waitForIndexedBlock(block: bigint): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Everything the dapp reads, on real parts, with one lot minted: a Hardhat node with the five
 * contracts, a site's store, Helia and anchoring (oracle/src/anchor fixtures), one wallet-stamped
 * job, the gateway's lot minter, the gateway's read-only IPFS routes over HTTP, the embedded
 * indexer with its GraphQL server, and `next start` of the production build (built once per
 * source hash). Every part is stopped again when a later one fails.
 */
export async function startDappTestStack(): Promise<DappTestStack> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    // Build first (the slowest part, and a broken build should fail before anything starts).
    await buildDappForTests();

    const directory = mkdtempSync(path.join(tmpdir(), "ei-dapp-"));
    stops.push(() => {
      rmSync(directory, { recursive: true, force: true });
      return Promise.resolve();
    });
    // A block a second, as `ei start` runs: Hardhat gives each block its parent's timestamp + 1 s,
    // so faster blocks would run the chain's clock ahead of the readings'.
    const { node, deployment } = await startTestChain(directory, { blockIntervalMs: 1000 });
    stops.push(() => node.stop());
    const {
      transport,
      publicClient: client,
      admin,
      manager,
      mined,
    } = hardhatTestClients({ rpcUrl: node.rpcUrl, chainId: deployment.chainId });
    const deploy = async (name: string, args: readonly unknown[]) => {
      const { abi, bytecode } = artifact(name);
      const receipt = await client.waitForTransactionReceipt({
        hash: await admin.deployContract({ abi, bytecode, args }),
      });
      if (receipt.contractAddress == null) throw new Error(`${name} was not deployed`);
      return { address: receipt.contractAddress, startBlock: Number(receipt.blockNumber) };
    };
    const jobs = await deploy("JobStamps", [deployment.registry]);
    const lots = await deploy("ProductLots", [
      deployment.registry,
      jobs.address,
      "http://127.0.0.1/v1/tokens/{id}.json",
    ]);
    const attestations = await deploy("AuditAttestations", [
      deployment.registry,
      deployment.containers,
      lots.address,
    ]);
    const base = JSON.parse(readFileSync(deployment.deploymentsFile, "utf8")) as Record<
      string,
      { address: Address; startBlock: number }
    >;
    const deployments = {
      ...base,
      JobStamps: jobs,
      ProductLots: lots,
      AuditAttestations: attestations,
    };
    writeFileSync(deployment.deploymentsFile, JSON.stringify(deployments, null, 2));

    // Readings start 20 s before the earlier of the chain's clock and the wall clock's: Hardhat's
    // interval mining adds 1 s per block from the genesis, so on a busy machine the chain lags behind.
    const site = await openTestSite({
      rpcUrl: node.rpcUrl,
      deployment,
      startMs: await testReadingsStartMs(client),
      periodMs: 10_000,
      confirmations: 1,
    });
    stops.push(() => site.close());

    // Wallets for the browser: an operator and an auditor with their roles, a stranger with none.
    const operator = privateKeyToAccount(generatePrivateKey());
    const auditor = privateKeyToAccount(generatePrivateKey());
    const stranger = privateKeyToAccount(generatePrivateKey());
    for (const account of [operator, auditor, stranger])
      await mined(await admin.sendTransaction({ to: account.address, value: parseEther("10") }));
    const registry = { address: deployment.registry, abi: energyRegistryAbi } as const;
    await mined(
      await admin.writeContract({
        ...registry,
        functionName: "grantRole",
        args: [
          await client.readContract({ ...registry, functionName: "AUDITOR_ROLE" }),
          auditor.address,
        ],
      }),
    );
    await registerTestSiteParts({
      rpcUrl: node.rpcUrl,
      deployment,
      siteId: TEST_SITE_ID,
      machines: [{ machineId: TEST_MACHINE, name: "Press 1" }],
      devices: [{ deviceId: site.device.deviceId, machineId: TEST_MACHINE }],
      products: [{ productId: TEST_PRODUCT, sku: "BR-A", name: "Bracket A" }],
      operators: [manager.account.address, operator.address],
    });

    const meterThrough = (untilMs: number) => meterTestSiteThrough(site, untilMs);
    const meterPastClocks = () => meterTestSitePastClocks(site, client);

    const minter = await startTestLotMinter({
      site,
      rpcUrl: node.rpcUrl,
      contracts: { registry: { address: deployment.registry, startBlock: 0 }, jobs, lots },
    });
    stops.push(() => minter.stop());

    // Readings 1 s apart from 20 s before to 40 s after the chain's clock; the job runs a few
    // seconds of chain time.
    await site.ingest(60);
    await mined(
      await manager.writeContract({
        address: jobs.address,
        abi: jobStampsAbi,
        functionName: "startJob",
        args: [TEST_SITE_ID, TEST_JOB, [TEST_MACHINE], TEST_PRODUCT],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await mined(
      await manager.writeContract({
        address: jobs.address,
        abi: jobStampsAbi,
        functionName: "stopJob",
        args: [TEST_SITE_ID, TEST_JOB, TEST_PRODUCT, TEST_UNITS],
      }),
    );
    const lotIdHex = numberToHex(
      await client.readContract({
        address: lots.address,
        abi: productLotsAbi,
        functionName: "lotIdOf",
        args: [TEST_SITE_ID, TEST_PRODUCT, [TEST_JOB]],
      }),
      { size: 32 },
    );
    await waitFor(() => minter.get(lotIdHex) !== undefined, "the lot to be requested", 30_000);
    // Close the periods past the stop (the fixture's timer is off) and let them anchor.
    await meterPastClocks();
    await minter.waitForLot(lotIdHex, { timeoutMs: 90_000 });
    const mintedAtBlock = await client.getBlockNumber();

    // The gateway's read-only IPFS routes over HTTP, as `ei start` serves them.
    const gateway = Fastify();
    gateway.register((app, _options, done) => {
      ipfsRoutes(app, { store: site.services.store });
      done();
    });
    const gatewayUrl = await gateway.listen({ host: "127.0.0.1", port: 0 });
    stops.push(() => gateway.close());

    const indexer = await startEmbeddedIndexer({
      client: createPublicClient({ transport }),
      deployments,
      network: "hardhat",
      dataDir: path.join(directory, "subgraph"),
      name: "energy-intelligence/test",
      port: 0,
      pollIntervalMs: 200,
    });
    stops.push(() => indexer.close());
    const waitForIndexedBlock = (block: bigint) =>
      waitFor(
        async () => {
          const response = await fetch(indexer.url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: "{ _meta { block { number } } }" }),
          });
          const body = (await response.json()) as {
            data?: { _meta?: { block?: { number: number } } };
          };
          return (body.data?._meta?.block?.number ?? -1) >= Number(block);
        },
        `the indexer to reach block ${block}`,
        60_000,
      );
    await waitForIndexedBlock(mintedAtBlock);

    const container = site.services.containers.list({ limit: 1 })[0];
    if (container === undefined) throw new Error("no container was anchored");
    const port = await findFreePort();
    const dappUrl = `http://127.0.0.1:${port}`;
    const next = await startNextServer({
      port,
      env: {
        EI_DAPP_SUBGRAPH_URL: indexer.url,
        EI_DAPP_GATEWAY_URL: gatewayUrl,
        EI_DAPP_IPFS_GATEWAY_URL: gatewayUrl,
        EI_DAPP_CHAIN_ID: String(deployment.chainId),
        EI_DAPP_RPC_URL: node.rpcUrl,
        EI_DAPP_DEPLOYMENTS_FILE: deployment.deploymentsFile,
        EI_DAPP_PUBLIC_URL: dappUrl,
      },
    });
    stops.push(() => next.stop());

    return {
      dappUrl,
      rpcUrl: node.rpcUrl,
      gatewayUrl,
      subgraphUrl: indexer.url,
      chainId: deployment.chainId,
      deploymentsFile: deployment.deploymentsFile,
      lotId: BigInt(lotIdHex).toString(),
      containerId: BigInt(container.containerId).toString(),
      site,
      siteId: TEST_SITE_ID,
      contracts: {
        EnergyRegistry: deployment.registry,
        JobStamps: jobs.address,
        ProductLots: lots.address,
        AuditAttestations: attestations.address,
      },
      operator,
      auditor,
      stranger,
      meterThrough,
      meterPastClocks,
      minter,
      waitForIndexedBlock,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
