/**
 * Deploys the contracts with the Ignition module and writes deployments/<chainId>.json.
 *
 *   node scripts/deploy/deploy.ts --network localhost [--admin 0x…] [--base-uri URL] [--out deployments]
 *     [--functions-router 0x… --functions-don fun-… --functions-subscription N]
 *
 * With the three --functions-* options it also deploys GridIntensityConsumer (Chainlink Functions) with
 * functions/source/gridIntensity.js as its request source; see docs/chainlink-functions.md.
 *
 * `deployContracts` is the same step for code that already holds a network connection (`ei start`).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { isAddress, type Address } from "viem";
import { z } from "zod";
import EnergyIntelligence from "../../ignition/modules/EnergyIntelligence.ts";
import type { Deployments } from "../../sdk/src/contracts/deploymentsSchema.ts";
import { deployGridIntensityConsumer } from "../../functions/tooling/deployGridIntensityConsumer.ts";
import { findDeploymentBlock } from "./findDeploymentBlock.ts";
import { writeDeployments } from "./writeDeployments.ts";

export interface DeployContractsOptions {
  /** Receives DEFAULT_ADMIN_ROLE; default: the first account of the connection. */
  admin?: Address;
  /** ERC-1155 metadata URI template (with `{id}`) of containers and lots. */
  baseUri?: string;
  /** Ignition deployment id (its journal folder); default: Ignition's per-chain id. */
  deploymentId?: string;
}

/** Deploys (or resumes, as Ignition does) the five contracts and returns their deployments entries. */
export async function deployContracts(
  connection: NetworkConnection,
  options: DeployContractsOptions = {},
): Promise<{ chainId: number; deployments: Deployments }> {
  const parameters: Record<string, string> = {};
  if (options.admin !== undefined) parameters.admin = options.admin;
  if (options.baseUri !== undefined) {
    parameters.containersBaseUri = options.baseUri;
    parameters.lotsBaseUri = options.baseUri;
  }
  // Ignition's result is typed from Hardhat's artifact typings, which are build output outside the
  // typecheck; check the one field used instead of trusting it.
  const contract = z.object({
    address: z.string().refine((value): value is Address => isAddress(value)),
  });
  const deployed = z
    .object({
      registry: contract,
      containers: contract,
      jobs: contract,
      lots: contract,
      attestations: contract,
      claims: contract,
    })
    .parse(
      await connection.ignition.deploy(EnergyIntelligence, {
        parameters: { EnergyIntelligence: parameters },
        displayUi: false,
        ...(options.deploymentId === undefined ? {} : { deploymentId: options.deploymentId }),
      }),
    );
  const client = await connection.viem.getPublicClient();
  const entry = async (address: Address) => ({
    address,
    startBlock: Number(await findDeploymentBlock(client, address)),
  });
  const deployments: Deployments = {
    EnergyRegistry: await entry(deployed.registry.address),
    DataContainers: await entry(deployed.containers.address),
    JobStamps: await entry(deployed.jobs.address),
    ProductLots: await entry(deployed.lots.address),
    AuditAttestations: await entry(deployed.attestations.address),
    CertificateClaims: await entry(deployed.claims.address),
  };
  return { chainId: await client.getChainId(), deployments };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      network: { type: "string" },
      admin: { type: "string" },
      "base-uri": { type: "string" },
      out: { type: "string", default: "deployments" },
      "functions-router": { type: "string" },
      "functions-don": { type: "string" },
      "functions-subscription": { type: "string" },
    },
  });
  const router = values["functions-router"];
  const donId = values["functions-don"];
  const subscription = values["functions-subscription"];
  const functionsOptions = [router, donId, subscription].filter((v) => v !== undefined).length;
  if (
    (functionsOptions !== 0 && functionsOptions !== 3) ||
    (router !== undefined && !isAddress(router)) ||
    (subscription !== undefined && !/^[0-9]+$/.test(subscription))
  ) {
    console.error(
      "--functions-router (address), --functions-don and --functions-subscription (integer) go together",
    );
    process.exit(2);
  }
  if (values.admin !== undefined && !isAddress(values.admin)) {
    console.error(`--admin: not an address: ${values.admin}`);
    process.exit(2);
  }
  const connection = await network.create(values.network);
  const options: DeployContractsOptions = {};
  if (values.admin !== undefined) options.admin = values.admin;
  if (values["base-uri"] !== undefined) options.baseUri = values["base-uri"];
  const { chainId, deployments } = await deployContracts(connection, options);
  if (router !== undefined && donId !== undefined && subscription !== undefined) {
    deployments.GridIntensityConsumer = await deployGridIntensityConsumer(connection, {
      registry: deployments.EnergyRegistry.address,
      router,
      donId,
      subscriptionId: BigInt(subscription),
    });
  }
  const file = await writeDeployments(path.resolve(values.out), chainId, deployments);
  for (const [name, { address, startBlock }] of Object.entries(deployments)) {
    console.log(`${name}: ${address} (block ${startBlock})`);
  }
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  await connection.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
