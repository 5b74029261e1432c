import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Abi,
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  defineChain,
  getContractAddress,
  http,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** Hardhat node's well-known development keys (accounts #0, #1, #3): test chains only. */
export const HARDHAT_ADMIN_KEY: Hex =
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const HARDHAT_MANAGER_KEY: Hex =
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
export const HARDHAT_ORACLE_KEY: Hex =
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

const projectRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

function artifact(name: string): { abi: Abi; bytecode: Hex } {
  const file = path.join(projectRoot, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

export interface TestDeployment {
  registry: Address;
  containers: Address;
  chainId: number;
  /** deployments/<chainId>.json-shaped file written for the gateway. */
  deploymentsFile: string;
}

/**
 * Deploys EnergyRegistry and DataContainers from the compiled artifacts
 * (`hardhat build`) to a running node, registers `siteId` and makes the oracle
 * key its oracle, and writes a deployments file into `directory`. A seam for
 * tests and benchmarks until the project's deploy script (scripts/deploy) is
 * callable as a function.
 */
export async function deployTestContracts(parameters: {
  rpcUrl: string;
  siteId: Hex;
  directory: string;
  oracleKey?: Hex;
}): Promise<TestDeployment> {
  const transport = http(parameters.rpcUrl);
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({
    id: chainId,
    name: "hardhat",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const admin = createWalletClient({
    chain,
    transport,
    account: privateKeyToAccount(HARDHAT_ADMIN_KEY),
  });
  const manager = createWalletClient({
    chain,
    transport,
    account: privateKeyToAccount(HARDHAT_MANAGER_KEY),
  });
  const oracle = privateKeyToAccount(parameters.oracleKey ?? HARDHAT_ORACLE_KEY);

  const deploy = async (
    name: string,
    args: readonly unknown[],
  ): Promise<{ address: Address; block: number }> => {
    const { abi, bytecode } = artifact(name);
    const nonce = await publicClient.getTransactionCount({
      address: admin.account.address,
      blockTag: "pending",
    });
    const hash = await admin.deployContract({ abi, bytecode, args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    return {
      address:
        receipt.contractAddress ??
        getContractAddress({ from: admin.account.address, nonce: BigInt(nonce) }),
      block: Number(receipt.blockNumber),
    };
  };
  const registry = await deploy("EnergyRegistry", [admin.account.address]);
  const containers = await deploy("DataContainers", [
    registry.address,
    "http://127.0.0.1/v1/tokens/{id}.json",
  ]);
  const registryAbi = artifact("EnergyRegistry").abi;
  const wait = async (hash: Hex) => {
    await publicClient.waitForTransactionReceipt({ hash });
  };
  await wait(
    await admin.writeContract({
      address: registry.address,
      abi: registryAbi,
      functionName: "registerSite",
      args: [parameters.siteId, admin.account.address, manager.account.address, "Test site"],
    }),
  );
  const oracleBase = (await publicClient.readContract({
    address: registry.address,
    abi: registryAbi,
    functionName: "ORACLE_ROLE",
  })) as Hex;
  const oracleRole = (await publicClient.readContract({
    address: registry.address,
    abi: registryAbi,
    functionName: "siteRole",
    args: [oracleBase, parameters.siteId],
  })) as Hex;
  await wait(
    await manager.writeContract({
      address: registry.address,
      abi: registryAbi,
      functionName: "grantRole",
      args: [oracleRole, oracle.address],
    }),
  );
  const deploymentsFile = path.join(parameters.directory, `${chainId}.json`);
  writeFileSync(
    deploymentsFile,
    JSON.stringify(
      {
        EnergyRegistry: { address: registry.address, startBlock: registry.block },
        DataContainers: { address: containers.address, startBlock: containers.block },
      },
      null,
      2,
    ),
  );
  return { registry: registry.address, containers: containers.address, chainId, deploymentsFile };
}
