/**
 * End to end on a Hardhat network: the toolkit's Functions router and coordinator (deployFunctionsOracle),
 * GridIntensityConsumer compiled for cancun, a listener standing in for the DON that fulfils each request
 * with simulateScript's result of functions/source/gridIntensity.js against a local API server, and the
 * intensity record read back with viem. Then the failure paths: the source errors, the answer is refused
 * (absurd, negative, malformed), and the request times out.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import {
  encodeAbiParameters,
  getContract,
  hexToString,
  keccak256,
  parseEventLogs,
  stringToHex,
  type Hex,
} from "viem";
import {
  energyRegistryAbi,
  gridIntensityConsumerAbi,
} from "../../sdk/src/contracts/generated/abis.ts";
import { readGridIntensitySource } from "../../functions/tooling/deployGridIntensityConsumer.ts";
import {
  coordinatorAbi,
  encodeReport,
  fulfilRequestsOf,
  watchAndFulfil,
  type FulfilResult,
} from "../../functions/tooling/fulfilFunctionsRequests.ts";
import { startLocalFunctions } from "../../functions/tooling/startLocalFunctions.ts";
import {
  startGridIntensityApiServer,
  type GridIntensityApiServer,
} from "./gridIntensityApiServer.ts";

/** Hardhat's first well-known test account (the default `test test … junk` mnemonic). */
const ADMIN_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const PENDING = 1;
const FULFILLED = 2;
const FAILED = 3;
const REJECTED = 4;
const TIMED_OUT = 5;
const REGION = stringToHex("13", { size: 32 });

const connection = await network.create();
const { viem, networkHelpers } = connection;
let api: GridIntensityApiServer;

before(async () => {
  api = await startGridIntensityApiServer();
});
after(async () => {
  await api.close();
});

async function setUp() {
  const publicClient = await viem.getPublicClient();
  const [admin, requester, stranger] = await viem.getWalletClients();
  if (admin === undefined || requester === undefined || stranger === undefined)
    throw new Error("accounts");
  const functions = await startLocalFunctions(connection, ADMIN_KEY);
  const { address: registryAddress } = await viem.deployContract("EnergyRegistry", [
    admin.account.address,
  ]);
  const registry = getContract({ address: registryAddress, abi: energyRegistryAbi, client: admin });
  const { address } = await viem.deployContract("GridIntensityConsumer", [
    functions.router,
    registryAddress,
    {
      subscriptionId: functions.subscriptionId,
      callbackGasLimit: 300_000,
      requestTimeoutSeconds: 600,
      maxMilligramsPerKilowattHour: 2_000_000,
      donId: stringToHex(functions.donId, { size: 32 }),
    },
    await readGridIntensitySource(),
  ]);
  const consumer = getContract({
    address,
    abi: gridIntensityConsumerAbi,
    client: { public: publicClient, wallet: requester },
  });
  await functions.addConsumer(address);
  await registry.write.grantRole([
    await consumer.read.INTENSITY_REQUESTER_ROLE(),
    requester.account.address,
  ]);
  const latest = await publicClient.getBlock();
  // The last whole hour before the chain's clock.
  const hour = Number(latest.timestamp - (latest.timestamp % 3600n)) - 3600;
  const dom = {
    publicClient,
    walletClient: admin,
    coordinator: functions.coordinator,
    argsSuffix: [api.baseUrl],
  };
  return { publicClient, admin, requester, stranger, functions, registry, consumer, hour, dom };
}

type Setup = Awaited<ReturnType<typeof setUp>>;
let setup: Setup;
before(async () => {
  setup = await setUp();
});

async function request(s: Setup, hour: number): Promise<{ hash: Hex; requestId: Hex }> {
  const hash = await s.consumer.write.requestIntensity([REGION, hour, 1]);
  const receipt = await s.publicClient.waitForTransactionReceipt({ hash });
  const [requested] = parseEventLogs({
    abi: gridIntensityConsumerAbi,
    logs: receipt.logs,
    eventName: "IntensityRequested",
  });
  if (requested === undefined) throw new Error("no IntensityRequested");
  return { hash, requestId: requested.args.requestId };
}

async function notRecordedDetail(
  s: Setup,
  hash: Hex,
): Promise<{ status: number; reason: number; detail: Hex }> {
  const receipt = await s.publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({
    abi: gridIntensityConsumerAbi,
    logs: receipt.logs,
    eventName: "IntensityNotRecorded",
  });
  if (event === undefined) throw new Error("no IntensityNotRecorded");
  return event.args;
}

describe("GridIntensityConsumer with Chainlink Functions on a Hardhat network", () => {
  it("a request is fulfilled by the listener with simulateScript's result and read back with viem", async () => {
    const s = setup;
    api.mode = "ok";
    const fulfilled: FulfilResult[] = [];
    const errors: unknown[] = [];
    const stop = watchAndFulfil({
      ...s.dom,
      onFulfilled: (r) => fulfilled.push(r),
      onError: (e) => errors.push(e),
    });
    try {
      const { requestId } = await request(s, s.hour);
      assert.equal((await s.consumer.read.recordOf([requestId])).status, PENDING);
      const deadline = Date.now() + 60_000;
      while ((await s.consumer.read.recordOf([requestId])).status === PENDING) {
        assert.ok(Date.now() < deadline, `not fulfilled in time: ${errors.map(String).join("; ")}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      assert.deepEqual(errors, []);
      assert.equal(fulfilled[0]?.requestId, requestId);
      const [latestId, record] = await s.consumer.read.intensityOf([REGION, s.hour, 1]);
      assert.equal(latestId, requestId);
      assert.equal(record.status, FULFILLED);
      // (200 + 210) / 2 g/kWh, as the London region's two half-hours on the local API.
      assert.equal(record.milligramsPerKilowattHour, 205_000);
      assert.equal(record.hourStart, s.hour);
      assert.equal(record.source, 1);
      assert.ok(record.settledAt >= record.requestedAt);
    } finally {
      stop();
    }
  });

  it("a source error is recorded as Failed with the source's reason, and no figure", async () => {
    const s = setup;
    api.mode = "http-500";
    const hour = s.hour - 3600;
    const { hash } = await request(s, hour);
    const [result] = await fulfilRequestsOf(s.dom, hash);
    assert.ok(result !== undefined);
    const detail = await notRecordedDetail(s, result.transactionHash);
    assert.equal(detail.status, FAILED);
    assert.equal(await s.consumer.read.reasonName([detail.reason]), "source-error");
    assert.match(hexToString(detail.detail), /^http-error: HTTP 500/);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.consumer.read.intensityOf([REGION, hour, 1]),
      s.consumer,
      "Intensity_NoRecord",
      [REGION, hour, 1],
    );
    api.mode = "ok";
  });

  it("an answer above the bound is Rejected as absurd, never stored as a figure", async () => {
    const s = setup;
    const hour = s.hour - 7200;
    const config = await s.consumer.read.requestConfig();
    await s.consumer.write.setRequestConfig(
      [{ ...config, maxMilligramsPerKilowattHour: 100_000 }],
      { account: s.admin.account },
    );
    try {
      const { hash } = await request(s, hour);
      const [result] = await fulfilRequestsOf(s.dom, hash);
      assert.ok(result !== undefined);
      const detail = await notRecordedDetail(s, result.transactionHash);
      assert.equal(detail.status, REJECTED);
      assert.equal(await s.consumer.read.reasonName([detail.reason]), "absurd-intensity");
      assert.equal(BigInt(detail.detail), 205_000n, "the refused answer is kept in the event");
    } finally {
      await s.consumer.write.setRequestConfig([config], { account: s.admin.account });
    }
  });

  it("negative and malformed answers reported by a DON are Rejected with their reason", async () => {
    const s = setup;
    const answers: [Hex, string][] = [
      [encodeAbiParameters([{ type: "int256" }], [-5_000n]), "negative-intensity"],
      [
        encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [1n, 2n]),
        "malformed-response",
      ],
      ["0x", "empty-response"],
    ];
    for (const [index, [answer, reason]] of answers.entries()) {
      const hash = await s.consumer.write.requestIntensity([
        REGION,
        s.hour - 3600 * (10 + index),
        1,
      ]);
      const receipt = await s.publicClient.waitForTransactionReceipt({ hash });
      const [oracleRequest] = parseEventLogs({
        abi: coordinatorAbi,
        logs: receipt.logs,
        eventName: "OracleRequest",
      });
      assert.ok(oracleRequest !== undefined);
      const reportHash = await s.admin.writeContract({
        address: s.functions.coordinator,
        abi: coordinatorAbi,
        functionName: "callReport",
        args: [encodeReport(oracleRequest.args, answer, "0x")],
        gas: 5_000_000n,
      });
      const detail = await notRecordedDetail(s, reportHash);
      assert.equal(detail.status, REJECTED, reason);
      assert.equal(await s.consumer.read.reasonName([detail.reason]), reason);
    }
  });

  it("a request the DON never answers can be marked timed out, and a late answer is ignored", async () => {
    const s = setup;
    const hour = s.hour - 3600 * 20;
    const { hash, requestId } = await request(s, hour);
    const record = await s.consumer.read.recordOf([requestId]);
    const deadline = BigInt(record.requestedAt) + 600n;
    await viem.assertions.revertWithCustomError(
      s.consumer.write.markTimedOut([requestId], { account: s.stranger.account }),
      s.consumer,
      "Intensity_NotTimedOut",
    );
    await networkHelpers.time.increaseTo(deadline);
    await viem.assertions.emitWithArgs(
      s.consumer.write.markTimedOut([requestId], { account: s.stranger.account }),
      s.consumer,
      "IntensityNotRecorded",
      [requestId, REGION, hour, TIMED_OUT, 6, "0x"],
    );
    const [late] = await fulfilRequestsOf(s.dom, hash);
    assert.ok(late !== undefined);
    const receipt = await s.publicClient.waitForTransactionReceipt({ hash: late.transactionHash });
    assert.equal(
      parseEventLogs({
        abi: gridIntensityConsumerAbi,
        logs: receipt.logs,
        eventName: "LateFulfilmentIgnored",
      }).length,
      1,
    );
    assert.equal((await s.consumer.read.recordOf([requestId])).status, TIMED_OUT);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.consumer.write.markTimedOut([requestId]),
      s.consumer,
      "Intensity_NotPending",
      [requestId, TIMED_OUT],
    );
  });

  it("rejects bad requests and settings with specific errors", async () => {
    const s = setup;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.consumer.write.requestIntensity([REGION, s.hour, 1], { account: s.stranger.account }),
      s.consumer,
      "Intensity_NotRequester",
      [s.stranger.account.address],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.consumer.write.requestIntensity([REGION, s.hour + 60, 1]),
      s.consumer,
      "Intensity_InvalidHour",
      [s.hour + 60],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.consumer.write.requestIntensity([REGION, s.hour, 3]),
      s.consumer,
      "Intensity_UnknownSource",
      [3],
    );
    for (const bad of ["", "GB LONDON", 'a"b']) {
      const region = stringToHex(bad, { size: 32 });
      await viem.assertions.revertWithCustomErrorWithArgs(
        s.consumer.write.requestIntensity([region, s.hour, 1]),
        s.consumer,
        "Intensity_InvalidRegion",
        [region],
      );
    }
    const config = await s.consumer.read.requestConfig();
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.consumer.write.setRequestConfig([config]),
      s.consumer,
      "Intensity_NotAdmin",
      [s.requester.account.address],
    );
    await viem.assertions.revertWithCustomError(
      s.consumer.write.setRequestConfig([{ ...config, maxMilligramsPerKilowattHour: 0 }], {
        account: s.admin.account,
      }),
      s.consumer,
      "Intensity_InvalidConfig",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.consumer.write.setSecretsConfig(
        [{ location: 1, slotId: 0, version: 0n, encryptedSecretsUrls: "0x" }],
        { account: s.admin.account },
      ),
      s.consumer,
      "Intensity_InvalidSecrets",
      [1],
    );
    // DON-hosted secrets: the request then carries the slot and version (read back from the CBOR).
    await s.consumer.write.setSecretsConfig(
      [{ location: 2, slotId: 0, version: 1_700_000_000n, encryptedSecretsUrls: "0x" }],
      { account: s.admin.account },
    );
    const hash = await s.consumer.write.requestIntensity([REGION, s.hour - 3600 * 30, 1]);
    const receipt = await s.publicClient.waitForTransactionReceipt({ hash });
    const [oracleRequest] = parseEventLogs({
      abi: coordinatorAbi,
      logs: receipt.logs,
      eventName: "OracleRequest",
    });
    const { decodeRequestData } = await import("../../functions/tooling/toolkit.ts");
    assert.equal((await decodeRequestData(oracleRequest?.args.data ?? "0x")).secretsLocation, 2);
  });

  it("setSource replaces the source the DON receives, byte for byte, and announces its hash", async () => {
    const s = setup;
    const { decodeRequestData } = await import("../../functions/tooling/toolkit.ts");
    const sentSource = async (hour: number): Promise<string> => {
      const hash = await s.consumer.write.requestIntensity([REGION, hour, 1]);
      const receipt = await s.publicClient.waitForTransactionReceipt({ hash });
      const [oracleRequest] = parseEventLogs({
        abi: coordinatorAbi,
        logs: receipt.logs,
        eventName: "OracleRequest",
      });
      assert.ok(oracleRequest !== undefined);
      return (await decodeRequestData(oracleRequest.args.data)).source;
    };
    const original = await readGridIntensitySource();
    assert.equal(await sentSource(s.hour - 3600 * 40), original);
    // Multi-byte UTF-8, so the byte length differs from the character count.
    const next = `${original}\n// région — ✓\n`;
    await viem.assertions.emitWithArgs(
      s.consumer.write.setSource([next], { account: s.admin.account }),
      s.consumer,
      "SourceSet",
      [keccak256(stringToHex(next))],
    );
    assert.equal(await s.consumer.read.sourceHash(), keccak256(stringToHex(next)));
    assert.equal(await sentSource(s.hour - 3600 * 41), next);
    await s.consumer.write.setSource([original], { account: s.admin.account });
    assert.equal(await sentSource(s.hour - 3600 * 42), original);
  });
});
