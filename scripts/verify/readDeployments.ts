import { readFile } from "node:fs/promises";
import { getAddress } from "viem";
import type { Address } from "viem";
import { z } from "zod";
import { deploymentEntrySchema } from "@energy-intelligence/sdk/contracts/index";
import { CliUsageError } from "../cli/errors.ts";

// Only the two contracts verification reads are required (the sdk's parseDeployments wants all five):
// an auditor's file for a chain where only the registry and containers are deployed still works.
const deploymentsSchema = z.record(z.string(), deploymentEntrySchema);

export interface VerifyDeployments {
  file: string;
  registry: { address: Address; startBlock: number };
  containers: { address: Address; startBlock: number };
}

/**
 * Reads the deployments file (`{ContractName: {address, startBlock}}`, default
 * `deployments/<chainId>.json`) for the two contracts verification needs.
 * The auditor chooses this file: it says which contracts are the real ones.
 */
export async function readDeployments(
  file: string | undefined,
  chainId: number,
): Promise<VerifyDeployments> {
  const path = file ?? `deployments/${chainId}.json`;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new CliUsageError(
      `${path}: cannot read the deployments file`,
      file === undefined
        ? `Run from the repository root, or pass --deployments <file> for chain ${chainId}.`
        : "Check the path given to --deployments.",
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CliUsageError(`${path}: not JSON`, "Pass a deployments/<chainId>.json file.", {
      cause,
    });
  }
  const parsed = deploymentsSchema.safeParse(json);
  if (!parsed.success) {
    throw new CliUsageError(
      `${path}: not a deployments file (${parsed.error.issues[0]?.message ?? "invalid"})`,
      'Expected {"ContractName": {"address": "0x…", "startBlock": n}}.',
    );
  }
  const entry = (name: string) => {
    const found = parsed.data[name];
    if (found === undefined) {
      throw new CliUsageError(
        `${path}: has no ${name}`,
        "Point --deployments at the file the deploy wrote.",
      );
    }
    return { address: getAddress(found.address), startBlock: found.startBlock };
  };
  return { file: path, registry: entry("EnergyRegistry"), containers: entry("DataContainers") };
}
