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
  keccak256,
} from "viem";
import { energyRegistryAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { privateKeyToAccount } from "viem/accounts";

/** Hardhat node's well-known development keys (accounts #0, #1, #3): test chains only. */
export const HARDHAT_ADMIN_KEY: Hex =
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const HARDHAT_MANAGER_KEY: Hex =
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
export const HARDHAT_ORACLE_KEY: Hex =
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

/**
 * The viem clients a test needs on a Hardhat node: the chain, a public client, the admin's and the
 * site manager's wallets, and `mined`, which waits for a receipt and throws when it reverted.
 */
export function hardhatTestClients(parameters: { rpcUrl: string; chainId: number }) {
  const transport = http(parameters.rpcUrl);
  const chain = defineChain({
    id: parameters.chainId,
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
  const mined = async (hash: Hex): Promise<void> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`setup transaction ${hash} reverted`);
  };
  return { chain, transport, publicClient, admin, manager, mined };
}

const projectRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

function artifact(name: string): { abi: Abi; bytecode: Hex } {
  const file = path.join(projectRoot, "artifacts", "contracts", `${name}.sol`, `${name}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

export interface TestDeployment {
  registry: Address;
  containers: Address;
  jobStamps: Address;
  productLots: Address;
  chainId: number;
  /** deployments/<chainId>.json-shaped file written for the gateway. */
  deploymentsFile: string;
}

/**
 * Deploys EnergyRegistry, DataContainers, JobStamps and ProductLots from the
 * compiled artifacts (`hardhat build`) to a running node, registers `siteId`
 * and makes the oracle key its oracle, and writes a deployments file (with
 * each contract's deploy block) into `directory`. The one chain fixture of
 * the oracle's tests and benchmarks; `registerTestSiteParts` adds machines,
 * devices, products and operators.
 */
export async function deployTestContracts(parameters: {
  rpcUrl: string;
  siteId: Hex;
  directory: string;
  oracleKey?: Hex;
}): Promise<TestDeployment> {
  const chainId = await createPublicClient({ transport: http(parameters.rpcUrl) }).getChainId();
  const { publicClient, admin, manager } = hardhatTestClients({
    rpcUrl: parameters.rpcUrl,
    chainId,
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
  const jobStamps = await deploy("JobStamps", [registry.address]);
  const productLots = await deploy("ProductLots", [
    registry.address,
    jobStamps.address,
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
        JobStamps: { address: jobStamps.address, startBlock: jobStamps.block },
        ProductLots: { address: productLots.address, startBlock: productLots.block },
      },
      null,
      2,
    ),
  );
  return {
    registry: registry.address,
    containers: containers.address,
    jobStamps: jobStamps.address,
    productLots: productLots.address,
    chainId,
    deploymentsFile,
  };
}

/** Machines, devices on them, products and operators of the test site, registered by its manager. */
export async function registerTestSiteParts(parameters: {
  rpcUrl: string;
  deployment: TestDeployment;
  siteId: Hex;
  machines?: readonly { machineId: Hex; name: string }[];
  /** Each device is tied to a machine (or to none: zero id, a site meter). */
  devices?: readonly { deviceId: Hex; machineId: Hex }[];
  products?: readonly { productId: Hex; sku: string; name: string }[];
  operators?: readonly Address[];
}): Promise<void> {
  const {
    publicClient: client,
    manager,
    mined,
  } = hardhatTestClients({ rpcUrl: parameters.rpcUrl, chainId: parameters.deployment.chainId });
  const registry = { address: parameters.deployment.registry, abi: energyRegistryAbi } as const;
  if ((parameters.operators ?? []).length > 0) {
    const role = await client.readContract({
      ...registry,
      functionName: "siteRole",
      args: [
        await client.readContract({ ...registry, functionName: "OPERATOR_ROLE" }),
        parameters.siteId,
      ],
    });
    for (const operator of parameters.operators ?? [])
      await mined(
        await manager.writeContract({
          ...registry,
          functionName: "grantRole",
          args: [role, operator],
        }),
      );
  }
  for (const machine of parameters.machines ?? [])
    await mined(
      await manager.writeContract({
        ...registry,
        functionName: "registerMachine",
        args: [parameters.siteId, machine.machineId, machine.name],
      }),
    );
  for (const device of parameters.devices ?? [])
    await mined(
      await manager.writeContract({
        ...registry,
        functionName: "registerDevice",
        args: [parameters.siteId, device.deviceId, device.machineId, 1, keccak256(device.deviceId)],
      }),
    );
  for (const product of parameters.products ?? [])
    await mined(
      await manager.writeContract({
        ...registry,
        functionName: "registerProduct",
        args: [
          parameters.siteId,
          product.productId,
          {
            sku: product.sku,
            name: product.name,
            cpcCode: "42999",
            declaredUnit: 2,
            unitaryProductAmountMicros: 1_000_000n,
            massPerDeclaredUnitMilligrams: 1_000_000n,
          },
        ],
      }),
    );
}
