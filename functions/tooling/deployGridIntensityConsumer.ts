/**
 * Deploys GridIntensityConsumer with the Ignition module ignition/modules/GridIntensity.ts and the request
 * source functions/source/gridIntensity.js, and returns its deployments entry.
 */
import { readFile } from "node:fs/promises";
import type { NetworkConnection } from "hardhat/types/network";
import { isAddress, stringToHex, type Address } from "viem";
import { z } from "zod";
import GridIntensity from "../../ignition/modules/GridIntensity.ts";
import type { DeploymentEntry } from "../../sdk/src/contracts/deploymentsSchema.ts";
import { findDeploymentBlock } from "../../scripts/deploy/findDeploymentBlock.ts";

/** The request source the consumer sends to the DON: the file the off-chain tests run. */
export const GRID_INTENSITY_SOURCE_URL = new URL("../source/gridIntensity.js", import.meta.url);

export async function readGridIntensitySource(): Promise<string> {
  return readFile(GRID_INTENSITY_SOURCE_URL, "utf8");
}

export interface DeployGridIntensityConsumerOptions {
  registry: Address;
  router: Address;
  /** The DON id as text, e.g. "fun-arbitrum-sepolia-1" (stored as bytes32). */
  donId: string;
  subscriptionId: bigint;
  callbackGasLimit?: number;
  requestTimeoutSeconds?: number;
  maxMilligramsPerKilowattHour?: number;
  deploymentId?: string;
}

export async function deployGridIntensityConsumer(
  connection: NetworkConnection,
  options: DeployGridIntensityConsumerOptions,
): Promise<DeploymentEntry> {
  const parameters: Record<string, string | number> = {
    registry: options.registry,
    router: options.router,
    donId: stringToHex(options.donId, { size: 32 }),
    // Functions subscription ids are small counters; Ignition parameters are JSON numbers.
    subscriptionId: Number(options.subscriptionId),
    source: await readGridIntensitySource(),
  };
  if (options.callbackGasLimit !== undefined)
    parameters.callbackGasLimit = options.callbackGasLimit;
  if (options.requestTimeoutSeconds !== undefined) {
    parameters.requestTimeoutSeconds = options.requestTimeoutSeconds;
  }
  if (options.maxMilligramsPerKilowattHour !== undefined) {
    parameters.maxMilligramsPerKilowattHour = options.maxMilligramsPerKilowattHour;
  }
  // Ignition's result is typed from Hardhat's artifact typings (build output): check the one field used.
  const deployed = z
    .object({
      consumer: z.object({
        address: z.string().refine((value): value is Address => isAddress(value)),
      }),
    })
    .parse(
      await connection.ignition.deploy(GridIntensity, {
        parameters: { GridIntensity: parameters },
        displayUi: false,
        ...(options.deploymentId === undefined ? {} : { deploymentId: options.deploymentId }),
      }),
    );
  const client = await connection.viem.getPublicClient();
  const address = deployed.consumer.address;
  return { address, startBlock: Number(await findDeploymentBlock(client, address)) };
}
