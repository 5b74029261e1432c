import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { pino } from "pino";
import {
  type Address,
  type Hex,
  createPublicClient,
  http,
  keccak256,
  numberToHex,
  parseEther,
  stringToHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { productLotsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { StampAction, StampChannel, eip712Domain } from "@energy-intelligence/sdk/eip712/index";
import { deriveJobId, signJobStamp, startJob, stopJob } from "@energy-intelligence/sdk/jobs/index";
import { runEi } from "../../../scripts/cli/runEi.testHelper.ts";
import type { HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import { stampingRoutes } from "../api/routes/stampingRoutes.ts";
import {
  openTestSite,
  startTestChain,
  waitFor,
  type TestSite,
} from "../anchor/testing/anchoringFixture.ts";
import { loadDeploymentsFile } from "../chain/loadDeploymentsFile.ts";
import {
  HARDHAT_MANAGER_KEY,
  HARDHAT_ORACLE_KEY,
  hardhatTestClients,
  registerTestSiteParts,
  type TestDeployment,
} from "../chain/testing/deployTestContracts.ts";
import { OracleKey } from "../config/loadOracleKey.ts";
import type { LotMinter } from "../lots/startLotMinter.ts";
import { TEST_SITE_ID } from "../testing/deviceFixture.ts";
import { jobsConfigSchema } from "./jobsConfigSchema.ts";
import {
  meterTestSitePastClocks,
  startTestLotMinter,
  testReadingsStartMs,
} from "./testing/stampingFixture.ts";
import { type StampingServices, startStampingServices } from "./startStampingServices.ts";
import { twilioSignature } from "./twilioSignature.ts";

/*
 * Every channel end to end: a stamp in through the channel, the job on chain with its channel, the
 * lot minted by the gateway's lot minter (oracle/src/lots, started from JobStopped), and
 * `ei verify lot` passing on it from chain and IPFS data alone.
 */
const MACHINE: Hex = keccak256(stringToHex("machine:stamping-e2e"));
const PRODUCT: Hex = keccak256(stringToHex("product:stamping-e2e"));
const TOKEN = "e2e-twilio-token";
const PHONE = "+4915100000001";
const WEBHOOK = "https://gateway.example.com/v1/sms/twilio";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("every stamping channel end to end: job on chain, lot minted, ei verify lot passes", () => {
  let directory: string;
  let node: HardhatNode;
  let deployment: TestDeployment;
  let site: TestSite;
  let minter: LotMinter;
  let stamping: StampingServices;
  let app: FastifyInstance;
  let lotsAddress: Address;
  const jobIds = new Map<string, Hex>();

  before(async () => {
    directory = mkdtempSync(path.join(tmpdir(), "ei-stamping-lots-"));
    ({ node, deployment } = await startTestChain(directory, { blockIntervalMs: 250 }));
    const {
      publicClient: client,
      admin,
      manager,
      mined,
    } = hardhatTestClients({ rpcUrl: node.rpcUrl, chainId: deployment.chainId });
    // Addresses and deploy blocks as the gateway reads them: from the deployments file.
    const deployed = loadDeploymentsFile(deployment.deploymentsFile, [
      "EnergyRegistry",
      "JobStamps",
      "ProductLots",
    ]);
    const { JobStamps: jobs, ProductLots: lots, EnergyRegistry: registryEntry } = deployed;
    lotsAddress = lots.address;

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
      machines: [{ machineId: MACHINE, name: "Press 1" }],
      devices: [{ deviceId: site.device.deviceId, machineId: MACHINE }],
      products: [{ productId: PRODUCT, sku: "BR-A", name: "Bracket A" }],
    });
    // A separate key pays for stampMany: the oracle key is busy anchoring on an interval-mining chain.
    const relayerKey = generatePrivateKey();
    await mined(
      await admin.sendTransaction({
        to: privateKeyToAccount(relayerKey).address,
        value: parseEther("10"),
      }),
    );
    writeFileSync(path.join(directory, "relayer.key"), relayerKey);
    writeFileSync(path.join(directory, "twilio.token"), TOKEN);

    await site.ingest(60);
    const logger = pino({ level: "silent" });
    const started = await startStampingServices({
      db: site.db,
      jobs: jobsConfigSchema.parse({
        enabled: true,
        relayerKeyFile: path.join(directory, "relayer.key"),
        batchDelayMs: 50,
        pollIntervalMs: 100,
        sms: {
          authTokenFile: path.join(directory, "twilio.token"),
          webhookUrl: WEBHOOK,
          phones: [{ number: PHONE, siteId: TEST_SITE_ID, machines: ["*"] }],
        },
      }),
      chain: {
        rpcUrl: node.rpcUrl,
        deploymentsFile: deployment.deploymentsFile,
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
    assert.ok(started !== undefined);
    stamping = started;
    app = Fastify({ logger: false });
    stampingRoutes(app, stamping);
    await app.ready();

    minter = await startTestLotMinter({
      site,
      rpcUrl: node.rpcUrl,
      contracts: { registry: registryEntry, jobs, lots },
      logger,
    });

    const confirmed = (jobId: Hex) => () =>
      stamping.service.view(TEST_SITE_ID, jobId)?.stop?.state === "confirmed";

    // api
    const key = stamping.apiKeys.create({
      siteId: TEST_SITE_ID,
      name: "e2e",
      scopes: ["jobs:write"],
    }).key;
    const auth = { authorization: `Bearer ${key}` };
    const apiStart = await app.inject({
      method: "POST",
      url: "/v1/jobs",
      headers: auth,
      payload: { reference: "E2E-API", machines: ["press 1"], sku: "br-a" },
    });
    assert.equal(apiStart.statusCode, 202, apiStart.body);
    const apiJob = deriveJobId({ siteId: TEST_SITE_ID, reference: "E2E-API" });
    await sleep(2100);
    assert.equal(
      (
        await app.inject({
          method: "POST",
          url: `/v1/jobs/${apiJob}/stop`,
          headers: auth,
          payload: { units: 10 },
        })
      ).statusCode,
      202,
    );
    await waitFor(confirmed(apiJob), "api stop on chain", 30_000);
    jobIds.set("api", apiJob);

    // sms
    const text = async (body: string) => {
      const params = new Map([
        ["MessageSid", [`SM${body.length}${Date.now()}`]],
        ["From", [PHONE]],
        ["To", ["+4930000000"]],
        ["Body", [body]],
      ]);
      const form = new URLSearchParams(
        [...params].map(([name, [value = ""]]): [string, string] => [name, value]),
      ).toString();
      const response = await app.inject({
        method: "POST",
        url: "/v1/sms/twilio",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilioSignature(TOKEN, WEBHOOK, params),
        },
        payload: form,
      });
      assert.equal(response.statusCode, 200);
      return response.body;
    };
    assert.match(await text("START press1 E2E-SMS BR-A"), /Started job E2E-SMS/u);
    await sleep(2100);
    assert.match(await text("STOP press1 7"), /Stopped job E2E-SMS/u);
    const smsJob = deriveJobId({ siteId: TEST_SITE_ID, reference: "E2E-SMS" });
    await waitFor(confirmed(smsJob), "sms stop on chain", 30_000);
    jobIds.set("sms", smsJob);

    // relay (signed by an operator key)
    const domain = eip712Domain({ chainId: deployment.chainId, verifyingContract: jobs.address });
    const relayJob = deriveJobId({ siteId: TEST_SITE_ID, reference: "E2E-RELAY" });
    const nowS = () => BigInt(Math.floor(Date.now() / 1000));
    const relay = async (action: 1 | 2, units: bigint, nonce: bigint) => {
      const signed = await signJobStamp({
        domain,
        signer: privateKeyToAccount(HARDHAT_MANAGER_KEY),
        stamp: {
          jobId: relayJob,
          siteId: TEST_SITE_ID,
          action,
          machineIds: action === 1 ? [MACHINE] : [],
          productId: PRODUCT,
          units,
          time: nowS(),
          channel: StampChannel.relay,
          nonce,
        },
      });
      const response = await app.inject({
        method: "POST",
        url: "/v1/stamps",
        payload: {
          stamps: [
            {
              stamp: {
                ...signed.stamp,
                units: String(units),
                time: String(signed.stamp.time),
                nonce: String(nonce),
              },
              signer: signed.signer,
              signature: signed.signature,
            },
          ],
        },
      });
      assert.equal(response.statusCode, 202, response.body);
    };
    await relay(StampAction.start, 0n, 1n);
    await sleep(2100);
    await relay(StampAction.stop, 5n, 2n);
    await waitFor(confirmed(relayJob), "relayed stop on chain", 30_000);
    jobIds.set("relay", relayJob);

    // wallet
    const walletJob = deriveJobId({ siteId: TEST_SITE_ID, reference: "E2E-WALLET" });
    const common = {
      publicClient: client,
      walletClient: manager,
      address: jobs.address,
      siteId: TEST_SITE_ID,
      jobId: walletJob,
    };
    await mined(await startJob({ ...common, machineIds: [MACHINE], productId: PRODUCT }));
    await sleep(2100);
    await mined(await stopJob({ ...common, productId: PRODUCT, units: 3n }));
    jobIds.set("wallet", walletJob);
  });

  after(async () => {
    await app.close();
    await stamping.close();
    await minter.stop();
    await site.close();
    await node.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it("mints one lot per channel's job and ei verify lot accepts each", async () => {
    const client = createPublicClient({ transport: http(node.rpcUrl) });
    // Past every stop on both clocks: the relayed stamp is on the signer's, the others on the chain's.
    await meterTestSitePastClocks(site, client);
    const ipfsDir = path.join(directory, "ipfs");
    mkdirSync(ipfsDir, { recursive: true });
    for (const [channel, jobId] of jobIds) {
      const lotId = numberToHex(
        await client.readContract({
          address: lotsAddress,
          abi: productLotsAbi,
          functionName: "lotIdOf",
          args: [TEST_SITE_ID, PRODUCT, [jobId]],
        }),
        { size: 32 },
      );
      await waitFor(() => minter.get(lotId) !== undefined, `${channel}: lot requested`, 30_000);
      const lot = await minter.waitForLot(lotId, { timeoutMs: 90_000 });
      assert.equal(lot.state, "minted", channel);
      const document = minter.document(lotId);
      assert.ok(document, channel);
      writeFileSync(path.join(ipfsDir, `footprint-${channel}.json`), document);
      for (const row of site.services.containers.list({ limit: 1000 }))
        writeFileSync(
          path.join(ipfsDir, `container-${row.containerRef}.json`),
          site.services.containers.document(row.containerRef),
        );
      const verified = await runEi([
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
      ]);
      assert.equal(verified.exitCode, 0, `${channel}: ${verified.stdout}${verified.stderr}`);
    }
  });
});
