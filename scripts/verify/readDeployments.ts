import { readFile } from "node:fs/promises";
import { getAddress } from "viem";
import type { Address } from "viem";
import { z } from "zod";
import { CliUsageError } from "../cli/errors.ts";

const deploymentsSchema = z.record(
  z.string(),
  z.object({
    address: z.string().regex(/^0x[0-9a-fA-F]{40}$/u, "expected a 0x-address"),
    startBlock: z.int().min(0),
  }),
);

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
