import { z } from "zod";
import { InvalidInputError } from "../errors/index.ts";
import {
  DEPLOYED_CONTRACT_NAMES,
  type DeployedContractName,
  type DeploymentEntry,
  deploymentEntrySchema,
} from "./deploymentsSchema.ts";

export interface ParseDeploymentsOptions<Name extends string> {
  /**
   * The contracts the caller needs (default: the five Energy-Intelligence contracts). A reader
   * that only anchors or verifies asks for what it uses, so a chain where only some contracts are
   * deployed still works for it.
   */
  require?: readonly Name[];
}
export type ParseDeploymentsParameters<Name extends string = DeployedContractName> = [
  input: unknown,
  options?: ParseDeploymentsOptions<Name>,
];
/** The required entries are there; any other entry may be. */
export type ParseDeploymentsReturnType<Name extends string = DeployedContractName> = Record<
  Name,
  DeploymentEntry
> &
  Partial<Record<string, DeploymentEntry>>;
/** Thrown when the input is not a deployments file; `path` names the field, e.g. `DataContainers.address`. */
export type ParseDeploymentsErrorType = InvalidInputError;

// Every entry is checked the same way, required or not; which ones must be there is the caller's.
const entriesSchema = z.record(z.string(), deploymentEntrySchema);

const HINTS = [
  "A deployments file is {ContractName: {address, startBlock}}; node scripts/deploy/deploy.ts writes it.",
];

/**
 * Checks the parsed JSON of `deployments/<chainId>.json` (`{ContractName: {address, startBlock}}`) and
 * returns it typed. Pure: the caller reads the file (the gateway, `ei device`, the subgraph manifest
 * step, the dapp and `ei verify --deployments` all do).
 *
 * @throws {InvalidInputError} naming the first bad field, or the first required contract missing.
 * @example
 * ```ts
 * const deployments = parseDeployments(JSON.parse(await readFile("deployments/31337.json", "utf8")));
 * deployments.DataContainers.address; // "0x…"
 * // Only what an anchoring gateway needs:
 * parseDeployments(json, { require: ["DataContainers"] }).DataContainers.startBlock; // 3
 * ```
 */
export function parseDeployments<Name extends string = DeployedContractName>(
  ...[input, options]: ParseDeploymentsParameters<Name>
): ParseDeploymentsReturnType<Name> {
  const result = entriesSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path =
      issue === undefined || issue.path.length === 0 ? "deployments" : issue.path.join(".");
    throw new InvalidInputError(path, issue?.message ?? "not a deployments file", {
      hints: HINTS,
    });
  }
  const required: readonly string[] = options?.require ?? DEPLOYED_CONTRACT_NAMES;
  for (const name of required) {
    if (result.data[name] === undefined) {
      throw new InvalidInputError(name, `the deployments file has no ${name} entry`, {
        hints: ["Deploy the contracts first (scripts/deploy), or point at the right chain's file."],
      });
    }
  }
  return result.data;
}
