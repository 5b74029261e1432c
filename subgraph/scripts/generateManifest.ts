/**
 * Writes the subgraph's build inputs: `abis/<Contract>.json` from the sdk's generated ABIs (themselves
 * from the Hardhat artifacts) and `subgraph.yaml` from `subgraph.template.yaml` with the network,
 * addresses and start blocks of a deployments file.
 *
 *   node scripts/generateManifest.ts [--deployments ../deployments/31337.json] [--network hardhat]
 *
 * Without --deployments the addresses are zero and start blocks 0: enough for `graph codegen` and
 * `graph build` (the compiled mappings do not depend on addresses), and what `npm test` builds.
 * The network defaults to config/networks.json's name for the file's chain id (its file name).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { abis } from "../../sdk/src/contracts/generated/abis.ts";
import {
  DEPLOYED_CONTRACT_NAMES,
  type DeploymentEntry,
  type Deployments,
} from "../../sdk/src/contracts/deploymentsSchema.ts";

/** A deployments file's entries by contract name. */
export type DeploymentEntries = Readonly<Partial<Record<string, DeploymentEntry>>>;
import { parseDeployments } from "../../sdk/src/contracts/parseDeployments.ts";

export const SUBGRAPH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as const;

/** Deployments with zero addresses: for builds that index nothing. */
export function placeholderDeployments(): Deployments {
  const entry = { address: ZERO_ADDRESS, startBlock: 0 } as const;
  return {
    EnergyRegistry: entry,
    DataContainers: entry,
    JobStamps: entry,
    ProductLots: entry,
    AuditAttestations: entry,
  };
}

/** Fills `{{network}}`, `{{Name.address}}` and `{{Name.startBlock}}`; any other placeholder is an error. */
export function renderManifest(
  template: string,
  network: string,
  deployments: DeploymentEntries,
): string {
  if (!/^[a-z0-9-]+$/.test(network))
    throw new Error(`network name "${network}" is not a graph-node network name`);
  return template.replace(/\{\{([A-Za-z0-9.]+)\}\}/g, (_match, key: string) => {
    if (key === "network") return network;
    const [name, field] = key.split(".");
    const entry = name === undefined ? undefined : deployments[name];
    if (entry === undefined || (field !== "address" && field !== "startBlock")) {
      throw new Error(`manifest template placeholder {{${key}}} has no value in the deployments`);
    }
    return field === "address" ? entry.address.toLowerCase() : String(entry.startBlock);
  });
}

const networksSchema = z.record(z.string(), z.string());

/** The graph-node network name of a chain id, from config/networks.json. */
export async function networkOfChain(chainId: number): Promise<string> {
  const networks = networksSchema.parse(
    JSON.parse(await readFile(path.join(SUBGRAPH_DIR, "config", "networks.json"), "utf8")),
  );
  const name = networks[String(chainId)];
  if (name === undefined) {
    throw new Error(
      `chain ${chainId} has no network name in subgraph/config/networks.json; pass --network`,
    );
  }
  return name;
}

export interface GenerateOptions {
  deployments?: DeploymentEntries;
  network?: string;
  /** Where abis/ and subgraph.yaml go; default the subgraph folder. */
  dir?: string;
}

/** Writes abis/*.json and subgraph.yaml; returns the manifest's path. */
export async function generateManifest(options: GenerateOptions = {}): Promise<string> {
  const dir = options.dir ?? SUBGRAPH_DIR;
  await mkdir(path.join(dir, "abis"), { recursive: true });
  for (const name of DEPLOYED_CONTRACT_NAMES) {
    await writeFile(
      path.join(dir, "abis", `${name}.json`),
      `${JSON.stringify(abis[name], null, 2)}\n`,
    );
  }
  const template = await readFile(path.join(SUBGRAPH_DIR, "subgraph.template.yaml"), "utf8");
  const manifest = renderManifest(
    template,
    options.network ?? "hardhat",
    options.deployments ?? placeholderDeployments(),
  );
  const file = path.join(dir, "subgraph.yaml");
  await writeFile(file, manifest);
  return file;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { deployments: { type: "string" }, network: { type: "string" } },
  });
  const options: GenerateOptions = {};
  if (values.deployments !== undefined) {
    const file = path.resolve(values.deployments);
    options.deployments = parseDeployments(JSON.parse(await readFile(file, "utf8")) as unknown);
    const chainId = Number(path.basename(file, ".json"));
    options.network =
      values.network ?? (Number.isInteger(chainId) ? await networkOfChain(chainId) : "hardhat");
  } else if (values.network !== undefined) {
    options.network = values.network;
  }
  const file = await generateManifest(options);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
