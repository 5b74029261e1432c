import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  parseEther,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { energyRegistryAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { DEMO_KEYS } from "./demoAccounts.ts";

export interface DemoDevice {
  deviceId: Hex;
  /** The machine it meters, or the zero id for facility overhead. */
  machineId: Hex;
  /** EnergyRegistry kind code (sdk deviceKindCode). */
  kind: number;
  /** sdk deviceKeyHash of its key, or of its unsigned scheme (polled, serial). */
  keyHash: Hex;
}

export interface DemoProduct {
  productId: Hex;
  sku: string;
  name: string;
  cpcCode: string;
}

/**
 * Puts the demo factory on chain the way a site manager would: the site, its
 * machines, devices with their key hashes, products, and the gateway's oracle
 * key; and funds the account that pays for the gateway's stamp batches.
 */
export async function registerDemoSite(parameters: {
  rpcUrl: string;
  chainId: number;
  registry: Address;
  siteId: Hex;
  siteName: string;
  machines: readonly { machineId: Hex; name: string }[];
  devices: readonly DemoDevice[];
  products: readonly DemoProduct[];
  /** Receives 10 ETH from the admin: it pays for stampMany apart from the oracle's anchoring. */
  relayer: Address;
}): Promise<void> {
  const chain = defineChain({
    id: parameters.chainId,
    name: "ei-demo",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const transport = http(parameters.rpcUrl);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 });
  const admin = createWalletClient({
    chain,
    transport,
    account: privateKeyToAccount(DEMO_KEYS.admin),
  });
  const manager = createWalletClient({
    chain,
    transport,
    account: privateKeyToAccount(DEMO_KEYS.siteManager),
  });
  const oracle = privateKeyToAccount(DEMO_KEYS.oracle);
  const operator = privateKeyToAccount(DEMO_KEYS.operator);
  const registry = { address: parameters.registry, abi: energyRegistryAbi } as const;
  const mined = async (hash: Hex): Promise<void> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  };

  await mined(
    await admin.writeContract({
      ...registry,
      functionName: "registerSite",
      args: [
        parameters.siteId,
        admin.account.address,
        manager.account.address,
        parameters.siteName,
      ],
    }),
  );
  const [oracleRole, operatorRole] = await Promise.all([
    publicClient.readContract({ ...registry, functionName: "ORACLE_ROLE" }).then((base) =>
      publicClient.readContract({
        ...registry,
        functionName: "siteRole",
        args: [base, parameters.siteId],
      }),
    ),
    publicClient.readContract({ ...registry, functionName: "OPERATOR_ROLE" }).then((base) =>
      publicClient.readContract({
        ...registry,
        functionName: "siteRole",
        args: [base, parameters.siteId],
      }),
    ),
  ]);
  await mined(
    await manager.writeContract({
      ...registry,
      functionName: "grantRole",
      args: [oracleRole, oracle.address],
    }),
  );
  await mined(
    await manager.writeContract({
      ...registry,
      functionName: "grantRole",
      args: [operatorRole, operator.address],
    }),
  );
  // The node mines a block per transaction while the demo sets up, so the manager's transactions
  // are sent one after another (each takes the next nonce) and their receipts checked together.
  const sent: Hex[] = [];
  for (const machine of parameters.machines) {
    sent.push(
      await manager.writeContract({
        ...registry,
        functionName: "registerMachine",
        args: [parameters.siteId, machine.machineId, machine.name],
      }),
    );
  }
  for (const device of parameters.devices) {
    sent.push(
      await manager.writeContract({
        ...registry,
        functionName: "registerDevice",
        args: [parameters.siteId, device.deviceId, device.machineId, device.kind, device.keyHash],
      }),
    );
  }
  for (const product of parameters.products) {
    sent.push(
      await manager.writeContract({
        ...registry,
        functionName: "registerProduct",
        args: [
          parameters.siteId,
          product.productId,
          {
            sku: product.sku,
            name: product.name,
            cpcCode: product.cpcCode,
            // Declared unit 2 (kilogram) and 1 kg per unit: a piece weighing one kilogram.
            declaredUnit: 2,
            unitaryProductAmountMicros: 1_000_000n,
            massPerDeclaredUnitMilligrams: 1_000_000n,
          },
        ],
      }),
    );
  }
  sent.push(await admin.sendTransaction({ to: parameters.relayer, value: parseEther("10") }));
  await Promise.all(sent.map(mined));
}
