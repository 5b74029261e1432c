import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";
import Fastify, { type FastifyInstance } from "fastify";
import { pino } from "pino";
import {
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
  type PrivateKeyAccount,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  keccak256,
  parseEther,
  stringToHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  startHardhatNode,
  type HardhatNode,
} from "../../../../scripts/services/startHardhatNode.ts";
import { stampingRoutes } from "../../api/routes/stampingRoutes.ts";
import {
  HARDHAT_ADMIN_KEY,
  HARDHAT_ORACLE_KEY,
  deployTestContracts,
  registerTestSiteParts,
} from "../../chain/testing/deployTestContracts.ts";
import type { Logger } from "pino";
import { type TestSite, testStream } from "../../anchor/testing/anchoringFixture.ts";
import { OracleKey } from "../../config/loadOracleKey.ts";
import { streamConfigSchema } from "../../containers/containersConfigSchema.ts";
import {
  type LotMinter,
  type StartLotMinterParameters,
  startLotMinter,
} from "../../lots/startLotMinter.ts";
import { TEST_SITE_ID } from "../../testing/deviceFixture.ts";
import { migration0006JobStamps } from "../../store/migrations/0006-job-stamps.ts";
import { migration0007ApiKeysSms } from "../../store/migrations/0007-api-keys-sms.ts";
import { type JobsConfig, jobsConfigSchema } from "../jobsConfigSchema.ts";
import { type StampingServices, startStampingServices } from "../startStampingServices.ts";

export const id = (label: string): Hex => keccak256(stringToHex(label));
export const SITE_ID = id("site:stamping-test");
export const PRESS = { machineId: id("machine:press-7"), name: "Press 7" } as const;
export const LATHE = { machineId: id("machine:lathe-3"), name: "Lathe 3" } as const;
export const BRACKET = { productId: id("product:bracket-a"), sku: "BRK-A" } as const;
export const HINGE = { productId: id("product:hinge-b"), sku: "HNG-B" } as const;
export const TWILIO_TOKEN = "test-twilio-auth-token";
export const OPERATOR_PHONE = "+4915112345678";
export const LATHE_ONLY_PHONE = "+4915187654321";

export interface StampingChain {
  node: HardhatNode;
  directory: string;
  chainId: number;
  registry: Address;
  jobStamps: Address;
  deploymentsFile: string;
  /** An operator of the site (signs relays, stamps from its wallet). */
  operator: PrivateKeyAccount;
  /** Pays the gateway's stampMany transactions. */
  relayerKey: Hex;
  /** Funded, but no role anywhere. */
  stranger: PrivateKeyAccount;
  publicClient: PublicClient<Transport, Chain>;
  walletFor(account: PrivateKeyAccount): WalletClient<Transport, Chain, PrivateKeyAccount>;
  stop(): Promise<void>;
}

/**
 * A Hardhat node with the contracts deployed by the shared chain fixture
 * (deployTestContracts) and one site: two machines, two products, the
 * gateway's key as oracle, an operator; a deployments file for the gateway.
 */
export async function startStampingChain(): Promise<StampingChain> {
  const node = await startHardhatNode();
  const directory = mkdtempSync(path.join(tmpdir(), "ei-stamping-"));
  const transport = http(node.rpcUrl);
  const chain = defineChain({
    id: node.chainId,
    name: "hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [node.rpcUrl] } },
  });
  const publicClient: PublicClient<Transport, Chain> = createPublicClient({
    chain,
    transport,
    pollingInterval: 50,
  });
  const walletFor = (
    account: PrivateKeyAccount,
  ): WalletClient<Transport, Chain, PrivateKeyAccount> =>
    createWalletClient({ chain, transport, account });
  const admin = walletFor(privateKeyToAccount(HARDHAT_ADMIN_KEY));
  const deployment = await deployTestContracts({ rpcUrl: node.rpcUrl, siteId: SITE_ID, directory });
  const operator = privateKeyToAccount(generatePrivateKey());
  const stranger = privateKeyToAccount(generatePrivateKey());
  const relayerKey = generatePrivateKey();
  for (const address of [
    operator.address,
    stranger.address,
    privateKeyToAccount(relayerKey).address,
  ]) {
    const receipt = await publicClient.waitForTransactionReceipt({
      hash: await admin.sendTransaction({ to: address, value: parseEther("10") }),
    });
    if (receipt.status !== "success") throw new Error("funding transaction reverted");
  }
  await registerTestSiteParts({
    rpcUrl: node.rpcUrl,
    deployment,
    siteId: SITE_ID,
    operators: [operator.address],
    machines: [PRESS, LATHE],
    products: [BRACKET, HINGE].map((product) => ({
      ...product,
      name: `Product ${product.sku}`,
    })),
  });
  return {
    node,
    directory,
    chainId: node.chainId,
    registry: deployment.registry,
    jobStamps: deployment.jobStamps,
    deploymentsFile: deployment.deploymentsFile,
    operator,
    relayerKey,
    stranger,
    publicClient,
    walletFor,
    stop: async () => {
      await node.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Opens a store with the job tables (migrations 0006 and 0007 on their own: they reference no other table). */
export function openJobsStore(directory: string): Database {
  const db = new BetterSqlite3(path.join(directory, "gateway.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  const has =
    db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'job_stamps'").get() !== undefined;
  if (!has) {
    db.exec(migration0006JobStamps.up);
    db.exec(migration0007ApiKeysSms.up);
  }
  return db;
}

export interface StampingGateway {
  db: Database;
  stamping: StampingServices;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The stamping half of a gateway on the test chain: services, routes, SQLite in `dataDir`. */
export async function openStampingGateway(
  chain: StampingChain,
  options: { dataDir?: string; jobs?: Partial<JobsConfig>; startSubmitter?: boolean } = {},
): Promise<StampingGateway> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(chain.directory, "gw-"));
  const db = openJobsStore(dataDir);
  const relayerKeyFile = path.join(dataDir, "relayer.key");
  writeFileSync(relayerKeyFile, chain.relayerKey);
  const tokenFile = path.join(dataDir, "twilio.token");
  writeFileSync(tokenFile, TWILIO_TOKEN);
  const jobs = jobsConfigSchema.parse({
    enabled: true,
    relayerKeyFile,
    batchDelayMs: 100,
    pollIntervalMs: 100,
    backoffInitialMs: 50,
    directoryRefreshMs: 500,
    sms: {
      authTokenFile: tokenFile,
      webhookUrl: "https://gateway.example.com/v1/sms/twilio",
      phones: [
        { number: OPERATOR_PHONE, siteId: SITE_ID, machines: ["*"] },
        { number: LATHE_ONLY_PHONE, siteId: SITE_ID, machines: ["lathe3"] },
      ],
    },
    ...options.jobs,
  });
  const logger = pino({ level: "silent" });
  const stamping = await startStampingServices({
    db,
    jobs,
    chain: {
      rpcUrl: chain.node.rpcUrl,
      deploymentsFile: chain.deploymentsFile,
      confirmations: 1,
      maxBatchContainers: 100,
      pollIntervalMs: 100,
      replaceAfterMs: 60_000,
      requestTimeoutMs: 5000,
      backoffInitialMs: 50,
      backoffMaxMs: 1000,
    },
    oracleKey: new OracleKey(HARDHAT_ORACLE_KEY, "env"),
    logger,
  });
  if (stamping === undefined) throw new Error("stamping did not start");
  if (options.startSubmitter === false) await stamping.submitter.close();
  const app = Fastify({ logger: false });
  stampingRoutes(app, stamping);
  await app.ready();
  return {
    db,
    stamping,
    app,
    close: async () => {
      await app.close();
      await stamping.close();
      db.close();
    },
  };
}

/** Mines one block now (eth_call runs at the latest block's time; a wallet stop must simulate after its start). */
export async function mineBlock(chain: StampingChain): Promise<void> {
  await fetch(chain.node.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] }),
  });
}

/** Polls until `check` holds (the submitter works on its own timer). */
export async function waitFor(
  check: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The wall clock and the chain head's clock, in ms. Hardhat's interval mining adds 1 s per block
 * from the genesis, so the chain's clock runs ahead of the wall clock when blocks come faster than
 * one a second and falls behind when a busy machine mines fewer. Jobs are stamped on either clock
 * (a wallet stamp on the chain's, a relayed stamp on the signer's), so test readings must span both.
 */
export async function testClocksMs(
  client: PublicClient,
): Promise<{ wallMs: number; chainMs: number }> {
  const head = await client.getBlock({ blockTag: "latest" });
  return { wallMs: Date.now(), chainMs: Number(head.timestamp) * 1000 };
}

/** Where a test site's readings start: `leadMs` before the earlier of the two clocks. */
export async function testReadingsStartMs(client: PublicClient, leadMs = 20_000): Promise<number> {
  const { wallMs, chainMs } = await testClocksMs(client);
  return Math.min(wallMs, chainMs) - leadMs;
}

/**
 * Meters the test site on from its last reading (one a second) through `untilMs` and closes every
 * period that ends by then (a closing pass takes at most 16 periods). Readings go on from where they
 * stopped, so no period is closed before its last reading (a later one would be late data).
 */
export async function meterTestSiteThrough(site: TestSite, untilMs: number): Promise<void> {
  const count = Math.ceil((untilMs - site.device.nextTimestampMs) / 1000);
  if (count > 0) await site.ingest(count);
  while (site.services.closeNow(untilMs) > 0);
}

/** Meters and closes the test site through `marginMs` past the later of the two clocks. */
export async function meterTestSitePastClocks(
  site: TestSite,
  client: PublicClient,
  marginMs = 12_000,
): Promise<void> {
  const { wallMs, chainMs } = await testClocksMs(client);
  await meterTestSiteThrough(site, Math.max(wallMs, chainMs) + marginMs);
}

/**
 * The gateway's lot minter on a test site, polling fast: the one set-up of the minter tests,
 * the channels' end-to-end test and the dapp's browser stack.
 */
export function startTestLotMinter(parameters: {
  site: TestSite;
  rpcUrl: string;
  contracts: StartLotMinterParameters["contracts"];
  logger?: Logger;
}): Promise<LotMinter> {
  return startLotMinter({
    db: parameters.site.db,
    store: parameters.site.services.store,
    rpcUrl: parameters.rpcUrl,
    oracleKey: new OracleKey(HARDHAT_ORACLE_KEY, "env"),
    contracts: parameters.contracts,
    siteId: TEST_SITE_ID,
    streams: [streamConfigSchema.parse(testStream(parameters.site.device))],
    pollIntervalMs: 200,
    retryMs: 200,
    logger: parameters.logger ?? pino({ level: process.env.EI_TEST_LOG ?? "silent" }),
  });
}
