import { InvalidInputError } from "../errors/index.ts";
import { deploymentsSchema, type Deployments } from "./deploymentsSchema.ts";

export type ParseDeploymentsParameters = [input: unknown];
export type ParseDeploymentsReturnType = Deployments;
/** Thrown when the input is not a deployments file; `path` names the field, e.g. `DataContainers.address`. */
export type ParseDeploymentsErrorType = InvalidInputError;

/**
 * Checks the parsed JSON of `deployments/<chainId>.json` (`{ContractName: {address, startBlock}}`) and
 * returns it typed. Pure: the caller reads the file (the gateway, the subgraph manifest step, the dapp
 * and `ei verify --deployments` all do).
 *
 * @throws {InvalidInputError} naming the first bad field.
 * @example
 * ```ts
 * const deployments = parseDeployments(JSON.parse(await readFile("deployments/31337.json", "utf8")));
 * deployments.DataContainers.address; // "0x…"
 * deployments.DataContainers.startBlock; // 3
 * ```
 */
export function parseDeployments(
  ...[input]: ParseDeploymentsParameters
): ParseDeploymentsReturnType {
  const result = deploymentsSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path =
    issue === undefined || issue.path.length === 0 ? "deployments" : issue.path.join(".");
  throw new InvalidInputError(path, issue?.message ?? "not a deployments file", {
    hints: [
      "A deployments file is {ContractName: {address, startBlock}}; node scripts/deploy/deploy.ts writes it.",
    ],
  });
}
