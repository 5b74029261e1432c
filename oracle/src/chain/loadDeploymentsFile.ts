import { readFileSync } from "node:fs";
import { getAddress, type Address } from "viem";
import { InvalidInputError } from "@energy-intelligence/sdk";
import { parseDeployments } from "@energy-intelligence/sdk/contracts/parseDeployments";

export interface ContractDeployment {
  address: Address;
  startBlock: number;
}

/**
 * Reads `deployments/<chainId>.json` and returns the entries `names` asks for,
 * checked by the sdk's `parseDeployments` (the one parser of that format).
 *
 * @throws {InvalidInputError} at `field` (the config key that named the file),
 *   saying which file and which contract or field is wrong.
 * @example
 * ```ts
 * const { DataContainers } = loadDeploymentsFile("deployments/31337.json", ["DataContainers"]);
 * ```
 */
export function loadDeploymentsFile<Name extends string>(
  file: string,
  names: readonly Name[],
  field = "chain.deploymentsFile",
): Record<Name, ContractDeployment> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InvalidInputError(field, `cannot read ${file} as JSON`, { cause: error });
  }
  let parsed;
  try {
    parsed = parseDeployments(json, { require: names });
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(field, `${file}: ${error.shortMessage}`, {
      cause: error,
      hints: ["Deploy the contracts first (scripts/deploy), or point at the right chain's file."],
    });
  }
  const entries = {} as Record<Name, ContractDeployment>;
  for (const name of names) {
    const entry = parsed[name];
    entries[name] = { address: getAddress(entry.address), startBlock: entry.startBlock };
  }
  return entries;
}
