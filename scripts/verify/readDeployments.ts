import { readFile } from "node:fs/promises";
import { getAddress } from "viem";
import type { Address } from "viem";
import { InvalidInputError } from "@energy-intelligence/sdk/errors/index";
import { parseDeployments } from "@energy-intelligence/sdk/contracts/parseDeployments";
import { CliUsageError } from "../cli/errors.ts";

// Only the two contracts verification reads are required: an auditor's file for a chain where only
// the registry and containers are deployed still works.
const REQUIRED = ["EnergyRegistry", "DataContainers"] as const;

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
  let parsed;
  try {
    parsed = parseDeployments(json, { require: REQUIRED });
  } catch (cause) {
    if (!(cause instanceof InvalidInputError)) throw cause;
    throw new CliUsageError(
      `${path}: not a deployments file for verification (${cause.shortMessage})`,
      REQUIRED.includes(cause.path as (typeof REQUIRED)[number])
        ? "Point --deployments at the file the deploy wrote."
        : 'Expected {"ContractName": {"address": "0x…", "startBlock": n}}.',
      { cause },
    );
  }
  const entry = (name: (typeof REQUIRED)[number]) => {
    const found = parsed[name];
    return { address: getAddress(found.address), startBlock: found.startBlock };
  };
  return { file: path, registry: entry("EnergyRegistry"), containers: entry("DataContainers") };
}
