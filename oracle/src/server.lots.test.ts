import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import { type Hex, createPublicClient, getAddress, http, keccak256, stringToHex } from "viem";
import { jobStampsAbi, productLotsAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import {
  divideRoundingUp,
  milligramsToKilogramDecimal,
  pactFootprintIdOf,
  productFootprintSchema,
  type PactProductFootprint,
} from "@energy-intelligence/sdk/pact/index";
import { runEi } from "../../scripts/cli/runEi.testHelper.ts";
import { startHardhatNode, type HardhatNode } from "../../scripts/services/startHardhatNode.ts";
import { testStream, waitFor } from "./anchor/testing/anchoringFixture.ts";
import {
  deployTestContracts,
  HARDHAT_ORACLE_KEY,
  registerTestSiteParts,
  type TestDeployment,
} from "./chain/testing/deployTestContracts.ts";
import { loadGatewayConfig } from "./config/loadGatewayConfig.ts";
import type { GatewayConfig } from "./config/gatewayConfigSchema.ts";
import { ApiKeysRepository } from "./jobs/apiKeys.ts";
import type { LotRecord } from "./lots/productLotsRepository.ts";
import type { LotMinter } from "./lots/startLotMinter.ts";
import { type Gateway, startGateway } from "./server.ts";
import { DevicesRepository } from "./store/devicesRepository.ts";
import { TEST_MACHINE_ID, TEST_SITE_ID, TestDevice } from "./testing/deviceFixture.ts";

/*
 * The whole gateway as `startGateway` runs it, with jobs, lots and PACT on and one oracle key
 * paying for anchoring, stamping and minting (no relayer key): a device sends readings over
 * HTTP, a job is started and stopped through /v1/jobs, containers are anchored, the lot is
 * minted on chain, its metadata and its PACT footprint are served. Then a restart after a
 * mint whose PACT record is missing recovers it.
 */
const PRODUCT: Hex = keccak256(stringToHex("product:server-lots"));
const SKU = "BR-S";
const UNITS = 12;

interface PactPage {
  data: PactProductFootprint[];
}

describe("gateway with jobs, lots and PACT (startGateway on a Hardhat node)", () => {
  let directory: string;
  let node: HardhatNode;
  let deployment: TestDeployment;
  let config: GatewayConfig;
  let gateway: Gateway;
  let apiKey: string;
  let jobId: Hex;
  let lot: LotRecord;
  const device = new TestDevice(0, { channelCount: 1, startMs: Date.now() - 20_000 });
  const env = { EI_ORACLE_KEY: HARDHAT_ORACLE_KEY };

  const minter = (): LotMinter => {
    const found = gateway.lots?.minters.get(TEST_SITE_ID.toLowerCase() as Hex);
    assert.ok(found, "the gateway runs a lot minter for the test site");
    return found;
  };
  const client = () => createPublicClient({ transport: http(node.rpcUrl) });
  const api = (method: string, url: string, body?: object) =>
    fetch(`${gateway.httpUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const onChainJob = () =>
    client().readContract({
      address: deployment.jobStamps,
      abi: jobStampsAbi,
      functionName: "job",
      args: [TEST_SITE_ID, jobId],
    });
  const pactToken = async (): Promise<string> => {
    const pact = gateway.pact;
    assert.ok(pact);
    const { clientId, clientSecret } = pact.clients.create("Buyer AG", Date.now());
    const response = await fetch(`${gateway.httpUrl}/auth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials",
    });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const listFootprints = async (token: string): Promise<PactProductFootprint[]> => {
    const response = await fetch(`${gateway.httpUrl}/3/footprints`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as PactPage).data;
  };

  before(async () => {
    directory = mkdtempSync(path.join(tmpdir(), "ei-server-lots-"));
    // Blocks every 250 ms: transactions wait in the mempool, as on a real chain, so senders
    // sharing the oracle key would race for nonces without the account send queue.
    node = await startHardhatNode({ blockIntervalMs: 250 });
    deployment = await deployTestContracts({
      rpcUrl: node.rpcUrl,
      siteId: TEST_SITE_ID,
      directory,
    });
    await registerTestSiteParts({
      rpcUrl: node.rpcUrl,
      deployment,
      siteId: TEST_SITE_ID,
      machines: [{ machineId: TEST_MACHINE_ID, name: "Press 1" }],
      devices: [{ deviceId: device.deviceId, machineId: TEST_MACHINE_ID }],
      products: [{ productId: PRODUCT, sku: SKU, name: "Bracket S" }],
    });
    config = loadGatewayConfig({
      overrides: {
        dataDir: path.join(directory, "gateway"),
        http: { port: 0 },
        mqtt: { mode: "off" },
        log: { level: process.env.EI_TEST_LOG ?? "silent" },
        ingest: { writer: "inline" },
        containers: {
          periodMs: 10_000,
          graceMs: 1000,
          // Closed by the test (closeNow) once the job has stopped.
          checkIntervalMs: 3_600_000,
          streams: [testStream(device)],
        },
        chain: {
          rpcUrl: node.rpcUrl,
          deploymentsFile: deployment.deploymentsFile,
          confirmations: 1,
          pollIntervalMs: 100,
          requestTimeoutMs: 5000,
          backoffInitialMs: 50,
          backoffMaxMs: 1000,
        },
        jobs: {
          enabled: true,
          batchDelayMs: 100,
          pollIntervalMs: 100,
          backoffInitialMs: 50,
          directoryRefreshMs: 300,
        },
        lots: { enabled: true, pollIntervalMs: 200, retryMs: 300 },
        pact: { enabled: true },
      },
    });
    gateway = await startGateway(config, env);
    device.register(new DevicesRepository(gateway.db));
    apiKey = new ApiKeysRepository(gateway.db).create({
      siteId: TEST_SITE_ID,
      name: "MES",
      scopes: ["jobs:read", "jobs:write"],
    }).key;
  });

  after(async () => {
    await gateway.close();
    await node.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it("takes readings, stamps a job through /v1/jobs, anchors containers and mints the lot", async () => {
    // Readings 1 s apart from 20 s ago to 40 s ahead, in signed messages of 10.
    for (let sent = 0; sent < 60; sent += 10) {
      const response = await fetch(`${gateway.httpUrl}/v1/readings`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(device.message(10)),
      });
      assert.equal(response.status, 202, await response.text());
    }
    // The stamping directory reads machines and products from the chain on its timer.
    let started: Response | undefined;
    for (let attempt = 0; attempt < 40 && started?.status !== 202; attempt++) {
      started = await api("POST", "/v1/jobs", { machines: ["Press 1"], sku: SKU });
      if (started.status !== 202) await sleep(250);
    }
    const startedBody = (await started?.text()) ?? "";
    assert.equal(started?.status, 202, startedBody);
    jobId = (JSON.parse(startedBody) as { jobId: Hex }).jobId;
    await waitForAsync(async () => (await onChainJob()).startedAt !== 0n, "the start on chain");
    await sleep(3000);
    const stopped = await api("POST", `/v1/jobs/${jobId}/stop`, { units: UNITS });
    assert.equal(stopped.status, 202, await stopped.text());
    await waitForAsync(async () => (await onChainJob()).stoppedAt !== 0n, "the stop on chain");

    await waitFor(() => minter().lotOfJob(jobId) !== undefined, "the lot to be requested", 30_000);
    gateway.anchoring.closeNow(Date.now() + 60_000);
    const requested = minter().lotOfJob(jobId);
    assert.ok(requested);
    lot = await minter().waitForLot(requested.lotId, { timeoutMs: 120_000 });
    assert.equal(lot.state, "minted");
    assert.ok(
      gateway.anchoring.containers.list({ limit: 100 }).some((row) => row.state === "confirmed"),
      "containers anchored and confirmed",
    );

    const supply = await client().readContract({
      address: deployment.productLots,
      abi: productLotsAbi,
      functionName: "totalSupply",
      args: [BigInt(lot.lotId)],
    });
    assert.equal(supply, BigInt(UNITS));
  });

  it("serves the minted lot's ERC-1155 metadata at /v1/tokens/{id}.json", async () => {
    const hex = lot.lotId.slice(2);
    const response = await fetch(`${gateway.httpUrl}/v1/tokens/${hex}.json`);
    assert.equal(response.status, 200);
    const metadata = (await response.json()) as {
      name: string;
      properties: { units: string; footprintCid: string; jobIds: string[]; productId: string };
    };
    assert.equal(metadata.properties.units, String(UNITS));
    assert.equal(metadata.properties.footprintCid, lot.cid);
    assert.deepEqual(metadata.properties.jobIds, [jobId.toLowerCase()]);
    assert.equal(metadata.properties.productId, PRODUCT.toLowerCase());
    const unknown = await fetch(`${gateway.httpUrl}/v1/tokens/${"0".repeat(64)}.json`);
    assert.equal(unknown.status, 404);
  });

  it("a PACT buyer's client gets the lot's footprint from /3/footprints with the lot extension", async () => {
    const token = await pactToken();
    const footprints = await listFootprints(token);
    assert.equal(footprints.length, 1);
    const [pf] = footprints;
    assert.ok(pf);
    assert.equal(productFootprintSchema.safeParse(pf).success, true);
    assert.equal(
      pf.id,
      pactFootprintIdOf({
        chainId: deployment.chainId,
        contract: deployment.productLots,
        lotId: BigInt(lot.lotId),
      }),
    );
    const record = await client().readContract({
      address: deployment.productLots,
      abi: productLotsAbi,
      functionName: "lot",
      args: [BigInt(lot.lotId)],
    });
    // The PCF is the on-chain lot's market-based total per piece, rounded up, in kg.
    assert.equal(
      pf.pcf.pcfExcludingBiogenicCO2Withdrawal,
      milligramsToKilogramDecimal(
        divideRoundingUp(record.emissionsMarketMilligramsCo2e, BigInt(UNITS)),
      ),
    );
    assert.equal(pf.companyName, "Test site");
    assert.equal(pf.productNameCompany, "Bracket S");
    assert.equal(pf.pcf.geographyCountry, "DE");
    const extension = pf.extensions?.[0];
    assert.ok(extension);
    const data = extension.data;
    assert.equal(data.lotId, BigInt(lot.lotId).toString());
    assert.equal(data.productLots, getAddress(deployment.productLots));
    assert.equal(data.footprintCid, lot.cid);
    assert.equal(data.mintTransaction, lot.txHash);
    assert.equal(data.units, String(UNITS));
    assert.equal(data.verifyUrl, `${gateway.httpUrl}/v1/tokens/${lot.lotId.slice(2)}.json`);
    assert.equal(
      pf.extensions?.[0]?.dataSchema,
      `${gateway.httpUrl}/pact/extensions/ei-lot-proof/1.0.0/schema.json`,
    );

    const one = await fetch(`${gateway.httpUrl}/3/footprints/${pf.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(one.status, 200);
    assert.deepEqual(((await one.json()) as { data: PactProductFootprint }).data, pf);
  });

  it("the AAS repository API serves the lot's shell and its Carbon Footprint submodel with the PACT figure", async () => {
    const [pf] = await listFootprints(await pactToken());
    assert.ok(pf);
    const shells = (await (await fetch(`${gateway.httpUrl}/aas/shells`)).json()) as {
      result: { id: string; assetInformation: { globalAssetId: string } }[];
    };
    const globalAssetId = `urn:ei:lot:${deployment.chainId}:${deployment.productLots.toLowerCase()}:${BigInt(lot.lotId).toString()}`;
    const shell = shells.result.find((s) => s.assetInformation.globalAssetId === globalAssetId);
    assert.ok(shell, `no shell for ${globalAssetId}`);
    const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
    const refs = (await (
      await fetch(`${gateway.httpUrl}/aas/shells/${b64(shell.id)}/submodel-refs`)
    ).json()) as { result: { keys: { value: string }[] }[] };
    const submodelId = refs.result[0]?.keys[0]?.value ?? "";
    const value = await fetch(`${gateway.httpUrl}/aas/submodels/${b64(submodelId)}/$value`);
    assert.equal(value.status, 200);
    const body = (await value.json()) as { ProductCarbonFootprints: { PcfCO2eq: string }[] };
    assert.equal(
      body.ProductCarbonFootprints[0]?.PcfCO2eq,
      pf.pcf.pcfExcludingBiogenicCO2Withdrawal,
    );
  });

  it("ei export pact|aas --rpc --ipfs rebuild from chain and IPFS what the gateway publishes", async () => {
    const [published] = await listFootprints(await pactToken());
    assert.ok(published);
    // The lot's footprint document, as a file in a directory standing for IPFS.
    const ipfsDir = path.join(directory, "ipfs-export");
    mkdirSync(ipfsDir, { recursive: true });
    const document = minter().document(lot.lotId);
    assert.ok(document, "the minter keeps the lot's document");
    writeFileSync(path.join(ipfsDir, "footprint.json"), document);
    const source = [
      BigInt(lot.lotId).toString(),
      "--rpc",
      node.rpcUrl,
      "--ipfs",
      ipfsDir,
      "--deployments",
      deployment.deploymentsFile,
      "--public-url",
      gateway.httpUrl,
    ];
    const pact = await runEi(["export", "pact", ...source]);
    assert.equal(pact.exitCode, 0, pact.stderr);
    // The same footprint, but for the country: the gateway takes it from its streams' region
    // (configuration, not public data), so a rebuild from chain and IPFS leaves it out…
    const { geographyCountry, ...publicPcf } = published.pcf;
    assert.equal(geographyCountry, "DE");
    assert.deepEqual(productFootprintSchema.parse(JSON.parse(pact.stdout)), {
      ...published,
      pcf: publicPcf,
    });
    // … unless the exporter states it: then the rebuild is the published footprint.
    const withCountry = await runEi(["export", "pact", ...source, "--geography-country", "DE"]);
    assert.equal(withCountry.exitCode, 0, withCountry.stderr);
    assert.deepEqual(productFootprintSchema.parse(JSON.parse(withCountry.stdout)), published);

    const aas = await runEi(["export", "aas", ...source]);
    assert.equal(aas.exitCode, 0, aas.stderr);
    const environment = JSON.parse(aas.stdout) as {
      assetAdministrationShells: { assetInformation: { globalAssetId: string } }[];
    };
    assert.equal(
      environment.assetAdministrationShells[0]?.assetInformation.globalAssetId,
      `urn:ei:lot:${deployment.chainId}:${deployment.productLots.toLowerCase()}:${BigInt(lot.lotId).toString()}`,
    );
    const figures: unknown[] = [];
    JSON.parse(aas.stdout, (key, value: unknown) => {
      if (
        typeof value === "object" &&
        value !== null &&
        (value as { idShort?: unknown }).idShort === "PcfCO2eq"
      )
        figures.push((value as { value?: unknown }).value);
      return value;
    });
    assert.deepEqual(figures, [published.pcf.pcfExcludingBiogenicCO2Withdrawal]);

    // One without the other is refused before anything is read.
    const half = await runEi([
      "export",
      "pact",
      BigInt(lot.lotId).toString(),
      "--rpc",
      node.rpcUrl,
    ]);
    assert.equal(half.exitCode, 2);
    assert.match(half.stderr, /--rpc and --ipfs go together/u);
  });

  it("after a stop between mint and PACT publish, the restarted gateway publishes the record", async () => {
    const before = await listFootprints(await pactToken());
    await gateway.close();
    // The state a crash between the two steps would leave: the lot minted, no PACT record.
    const db = new BetterSqlite3(path.join(config.dataDir, "gateway.sqlite"));
    assert.equal(db.prepare("DELETE FROM pact_footprints").run().changes, 1);
    db.close();

    gateway = await startGateway(config, env);
    await waitFor(() => minter().unpublishedLots().length === 0, "the PACT record", 30_000);
    const after = await listFootprints(await pactToken());
    assert.equal(after.length, 1);
    assert.equal(after[0]?.id, before[0]?.id);
    assert.equal(
      after[0]?.pcf.pcfExcludingBiogenicCO2Withdrawal,
      before[0]?.pcf.pcfExcludingBiogenicCO2Withdrawal,
    );
    assert.equal(after[0]?.created, before[0]?.created);
    // Nothing minted twice.
    assert.equal(minter().get(lot.lotId)?.state, "minted");
    const supply = await client().readContract({
      address: deployment.productLots,
      abi: productLotsAbi,
      functionName: "totalSupply",
      args: [BigInt(lot.lotId)],
    });
    assert.equal(supply, BigInt(UNITS));
  });
});

async function waitForAsync(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
