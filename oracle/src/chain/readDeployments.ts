import { readFileSync } from "node:fs";
import { getAddress, type Address } from "viem";
import { z } from "zod";
import { InvalidInputError } from "@energy-intelligence/sdk";

const deploymentsSchema = z.record(
  z.string(),
  z.object({
    address: z.string().regex(/^0x[0-9a-fA-F]{40}$/u, "expected a 0x-address"),
    startBlock: z.int().min(0),
  }),
);

export interface ContractDeployment {
  address: Address;
  startBlock: number;
}

/**
 * Reads `deployments/<chainId>.json` (`{ContractName: {address, startBlock}}`)
 * and returns one contract's entry. A seam until sdk/src/contracts' reader
 * lands; the format is DESIGN.md's.
 *
 * @throws {InvalidInputError} naming the file and the missing contract.
 */
export function readDeployment(file: string, contractName: string): ContractDeployment {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InvalidInputError("chain.deploymentsFile", `cannot read ${file}`, { cause: error });
  }
  const result = deploymentsSchema.safeParse(parsed);
  if (!result.success) {
    throw new InvalidInputError("chain.deploymentsFile", `${file} is not a deployments file`, {
      details: result.error.issues[0]?.message,
    });
  }
  const entry = result.data[contractName];
  if (entry === undefined) {
    throw new InvalidInputError("chain.deploymentsFile", `${file} has no ${contractName}`, {
      hints: ["Deploy the contracts first (scripts/deploy), or point at the right chain's file."],
    });
  }
  return { address: getAddress(entry.address), startBlock: entry.startBlock };
}
