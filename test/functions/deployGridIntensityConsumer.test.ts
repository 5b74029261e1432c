/**
 * The deployment path of the consumer: the main Ignition module (now with CertificateClaims), then
 * ignition/modules/GridIntensity.ts with the repository's request source, on a local Functions setup.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { keccak256, stringToHex, toBytes, type Hex } from "viem";
import { gridIntensityConsumerAbi } from "../../sdk/src/contracts/generated/abis.ts";
import { deployContracts } from "../../scripts/deploy/deploy.ts";
import {
  deployGridIntensityConsumer,
  readGridIntensitySource,
} from "../../functions/tooling/deployGridIntensityConsumer.ts";
import { startLocalFunctions } from "../../functions/tooling/startLocalFunctions.ts";

const ADMIN_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

describe("deployGridIntensityConsumer", () => {
  it("deploys the consumer with the repository's source and the given subscription and DON", async () => {
    const connection = await network.create();
    const { deployments } = await deployContracts(connection);
    assert.ok(
      deployments.CertificateClaims !== undefined,
      "the main module deploys CertificateClaims",
    );
    const functions = await startLocalFunctions(connection, ADMIN_KEY);
    const entry = await deployGridIntensityConsumer(connection, {
      registry: deployments.EnergyRegistry.address,
      router: functions.router,
      donId: functions.donId,
      subscriptionId: functions.subscriptionId,
    });
    const client = await connection.viem.getPublicClient();
    const read = <const F extends "sourceHash" | "requestConfig">(functionName: F) =>
      client.readContract({ address: entry.address, abi: gridIntensityConsumerAbi, functionName });
    assert.equal(await read("sourceHash"), keccak256(toBytes(await readGridIntensitySource())));
    const config = await read("requestConfig");
    assert.equal(config.subscriptionId, functions.subscriptionId);
    assert.equal(config.donId, stringToHex(functions.donId, { size: 32 }));
    assert.equal(config.callbackGasLimit, 100_000);
    assert.equal(config.maxMilligramsPerKilowattHour, 2_000_000);
    assert.ok(entry.startBlock > 0);
  });
});
