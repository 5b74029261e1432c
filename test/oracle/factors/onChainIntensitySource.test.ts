/**
 * The on-chain intensity source against a real record: GridIntensityConsumer on a Hardhat network, filled
 * through the toolkit's Functions contracts by simulateScript runs of functions/source/gridIntensity.js
 * against a local API server; then a container is built with it and carries the record's reference.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import { getContract, stringToHex, type Hex } from "viem";
import { buildContainer } from "@energy-intelligence/sdk/containers/index";
import {
  containerParameters,
  PERIOD_START_MS,
} from "@energy-intelligence/sdk/containers/containerFixture.testHelper";
import {
  energyRegistryAbi,
  gridIntensityConsumerAbi,
} from "@energy-intelligence/sdk/contracts/generated/abis";
import { loadShippedFactorDatasets } from "@energy-intelligence/sdk/factors/index";
import { readGridIntensitySource } from "../../../functions/tooling/deployGridIntensityConsumer.ts";
import { fulfilRequestsOf } from "../../../functions/tooling/fulfilFunctionsRequests.ts";
import { startLocalFunctions } from "../../../functions/tooling/startLocalFunctions.ts";
import {
  startGridIntensityApiServer,
  type GridIntensityApiServer,
} from "../../functions/gridIntensityApiServer.ts";
import {
  UK_CARBON_INTENSITY_CITATION,
  UK_CARBON_INTENSITY_LICENCE,
} from "../../../oracle/src/factors/ukCarbonIntensitySource.ts";
import { createGridIntensitySource } from "../../../oracle/src/factors/createGridIntensitySource.ts";
import {
  createOnChainIntensitySource,
  onChainFactorDataset,
  onChainIntensityReader,
} from "../../../oracle/src/factors/onChainIntensitySource.ts";
import { resolveLiveHourlyFactors } from "../../../oracle/src/factors/resolveLiveHourlyFactors.ts";

const ADMIN_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HOUR_MS = 3_600_000;
// The fixture container's period, 12:30–13:30 UTC, spans the hours starting 12:00 and 13:00.
const HOUR_12 = Math.floor(PERIOD_START_MS / HOUR_MS) * HOUR_MS;
const HOUR_13 = HOUR_12 + HOUR_MS;

const connection = await network.create();
const { viem } = connection;
let api: GridIntensityApiServer;
let setup: Awaited<ReturnType<typeof setUp>>;

async function setUp() {
  const publicClient = await viem.getPublicClient();
  const [admin] = await viem.getWalletClients();
  if (admin === undefined) throw new Error("no accounts");
  const functions = await startLocalFunctions(connection, ADMIN_KEY);
  const { address: registry } = await viem.deployContract("EnergyRegistry", [
    admin.account.address,
  ]);
  const { address } = await viem.deployContract("GridIntensityConsumer", [
    functions.router,
    registry,
    {
      subscriptionId: functions.subscriptionId,
      callbackGasLimit: 300_000,
      requestTimeoutSeconds: 600,
      maxMilligramsPerKilowattHour: 2_000_000,
      donId: stringToHex(functions.donId, { size: 32 }),
    },
    await readGridIntensitySource(),
  ]);
  await functions.addConsumer(address);
  const consumer = getContract({ address, abi: gridIntensityConsumerAbi, client: admin });
  await getContract({ address: registry, abi: energyRegistryAbi, client: admin }).write.grantRole([
    await consumer.read.INTENSITY_REQUESTER_ROLE(),
    admin.account.address,
  ]);
  const dom = {
    publicClient,
    walletClient: admin,
    coordinator: functions.coordinator,
    argsSuffix: [api.baseUrl],
  };
  const fill = async (
    hourMs: number,
    mode: GridIntensityApiServer["mode"],
    halfHours: [number, number],
  ) => {
    api.mode = mode;
    api.ukHalfHours = halfHours;
    const hash = await consumer.write.requestIntensity([
      stringToHex("GB", { size: 32 }),
      hourMs / 1000,
      1,
    ]);
    const [result] = await fulfilRequestsOf(dom, hash);
    return result;
  };
  const chainId = await publicClient.getChainId();
  return { publicClient, address, chainId, fill };
}

before(async () => {
  api = await startGridIntensityApiServer();
  setup = await setUp();
  // 12:00 national actuals 180 and 190 g/kWh; 13:00 also 200 and 211 (mean 205.5).
  await setup.fill(HOUR_12, "ok", [180, 190]);
  await setup.fill(HOUR_13, "ok", [200, 211]);
  // 15:00: the API failed; 16:00: never asked.
  await setup.fill(HOUR_13 + 2 * HOUR_MS, "http-500", [0, 0]);
});
after(async () => {
  await api.close();
});

describe("createOnChainIntensitySource", () => {
  it("reads fulfilled records as direct intensities that name the record", async () => {
    const source = createOnChainIntensitySource({
      client: setup.publicClient,
      address: setup.address,
      chainId: setup.chainId,
      recordSource: 1,
    });
    const series = await source.averageIntensities({
      region: "GB",
      startMs: HOUR_12,
      endMs: HOUR_13 + HOUR_MS,
      kind: "direct",
    });
    assert.deepEqual(series.problems, []);
    assert.deepEqual(
      series.points.map((p) => p.gramsPerKilowattHour),
      ["185", "205.5"],
    );
    const first = series.points[0];
    assert.ok(first !== undefined);
    assert.equal(first.co2Only, true);
    assert.deepEqual(first.provenance.period, { startMs: HOUR_12, endMs: HOUR_13 });
    assert.match(
      first.provenance.source,
      new RegExp(`record ${setup.address} on chain ${setup.chainId}`),
    );
    assert.match(first.provenance.version, /^request 0x[0-9a-f]{64}, settled /);
    assert.deepEqual(source.record, { chainId: setup.chainId, address: setup.address });
  });

  it("reports a failed request and a missing hour as problems, never as zero", async () => {
    const source = createOnChainIntensitySource({
      client: setup.publicClient,
      address: setup.address,
      chainId: setup.chainId,
      recordSource: 1,
    });
    const failedHour = HOUR_13 + 2 * HOUR_MS;
    const series = await source.averageIntensities({
      region: "GB",
      startMs: failedHour,
      endMs: failedHour + 2 * HOUR_MS,
      kind: "direct",
    });
    assert.deepEqual(series.points, []);
    assert.deepEqual(
      series.problems.map((p) => p.reason),
      ["missing-interval", "missing-interval"],
    );
    assert.match(
      series.problems[0]?.detail ?? "",
      /latest request 0x[0-9a-f]{64} is failed \(source-error\)/,
    );
    assert.match(series.problems[1]?.detail ?? "", /^no request for GB/);
    const lifecycle = await source.averageIntensities({
      region: "GB",
      startMs: HOUR_12,
      endMs: HOUR_13,
      kind: "lifecycle",
    });
    assert.equal(lifecycle.problems[0]?.reason, "wrong-kind");
    const electricityMaps = createOnChainIntensitySource({
      client: setup.publicClient,
      address: setup.address,
      chainId: setup.chainId,
      recordSource: 2,
    });
    const none = await electricityMaps.averageIntensities({
      region: "GB",
      startMs: HOUR_12,
      endMs: HOUR_13,
      kind: "direct",
    });
    assert.equal(
      none.problems[0]?.reason,
      "missing-interval",
      "records of another source are not mixed in",
    );
  });

  it("a container built with it carries the on-chain record's reference in its factors", async () => {
    const source = createOnChainIntensitySource({
      client: setup.publicClient,
      address: setup.address,
      chainId: setup.chainId,
      recordSource: 1,
    });
    const series = await source.averageIntensities({
      region: "GB",
      startMs: HOUR_12,
      endMs: HOUR_13 + HOUR_MS,
      kind: "direct",
    });
    const dataset = onChainFactorDataset({
      source,
      points: series.points,
      citation: UK_CARBON_INTENSITY_CITATION,
      licence: UK_CARBON_INTENSITY_LICENCE,
    });
    const base = containerParameters();
    const built = buildContainer({
      ...base,
      factors: {
        ...base.factors,
        location: { datasets: [dataset, ...loadShippedFactorDatasets()], region: "GB" },
      },
    });
    const used = built.document.factors.map((f) => f.factor);
    const onChain = used.filter((f) => f.datasetId === `live:${source.id}`);
    assert.equal(onChain.length, 2, "both hours use the on-chain figures");
    for (const factor of onChain) {
      assert.match(factor.source, new RegExp(setup.address));
      assert.match(factor.version, /request 0x[0-9a-f]{64}/);
    }
    assert.deepEqual(onChain.map((f) => f.value).sort(), ["185", "205.5"]);
  });

  it("the gateway configured with factors.grid type on-chain resolves hours from the record, and falls back explicitly", async () => {
    const live = await createGridIntensitySource(
      { type: "on-chain", recordAddress: setup.address, region: "GB" },
      { onChain: onChainIntensityReader({ client: setup.publicClient, chainId: setup.chainId }) },
    );
    const failedHour = HOUR_13 + 2 * HOUR_MS;
    const hourly = await resolveLiveHourlyFactors({
      live,
      kind: "direct",
      hours: [
        { startMs: HOUR_12, endMs: HOUR_13 },
        { startMs: failedHour, endMs: failedHour + HOUR_MS },
      ],
      shipped: { datasets: loadShippedFactorDatasets(), region: "GB" },
    });
    const [fromRecord, failed] = hourly;
    assert.ok(fromRecord !== undefined && failed !== undefined);
    assert.equal(fromRecord.match, "live");
    assert.equal(fromRecord.factor.value, "185");
    assert.match(fromRecord.factor.source, new RegExp(setup.address));
    assert.ok(
      failed.fallback !== undefined,
      "the failed hour falls back, with its reason recorded",
    );
    assert.notEqual(failed.match, "live");
  });
});
