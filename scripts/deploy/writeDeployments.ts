import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseDeployments } from "../../sdk/src/contracts/parseDeployments.ts";
import type { Deployments } from "../../sdk/src/contracts/deploymentsSchema.ts";

/**
 * Writes `<directory>/<chainId>.json` (`{ContractName: {address, startBlock}}`), checked with the sdk's
 * schema first so a consumer can never read a file this wrote and reject it. Returns the file's path.
 */
export async function writeDeployments(
  directory: string,
  chainId: number,
  deployments: Deployments,
): Promise<string> {
  const checked = parseDeployments(deployments);
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${chainId}.json`);
  await writeFile(file, `${JSON.stringify(checked, null, 2)}\n`);
  return file;
}
