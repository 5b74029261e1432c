import {
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
  type Account,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { InvalidInputError } from "@energy-intelligence/sdk";
import { energyRegistryAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import type {
  ChainDeviceRegistration,
  DeviceRecord,
  DeviceRegistryChain,
} from "../store/devicesRepository.ts";

export interface CreateDeviceRegistryChainParameters {
  rpcUrl: string;
  registryAddress: Address;
  /** The site manager's key: EnergyRegistry lets only a site's managers register its devices. */
  managerKey: Hex;
  requestTimeoutMs?: number;
}

const ZERO32 = `0x${"00".repeat(32)}`;
const OPEN_TERM = 2n ** 64n - 1n;

/**
 * `ei device add|revoke` on chain: EnergyRegistry.registerDevice and
 * revokeDeviceKey, sent by the site manager's key.
 *
 * Every precondition the contract would revert on is read first and reported
 * as an InvalidInputError naming it (unknown site, missing manager role,
 * device id taken, machine not at the site), so a refusal changes nothing
 * and spends no gas; the transaction is then simulated, sent and awaited.
 *
 * @example
 * ```ts
 * const chain = await createDeviceRegistryChain({ rpcUrl, registryAddress, managerKey });
 * const txHash = await chain.registerDevice({ deviceId, siteId, machineId, kindCode: 1, keyHash });
 * ```
 */
export async function createDeviceRegistryChain(
  parameters: CreateDeviceRegistryChainParameters,
): Promise<DeviceRegistryChain & { manager: Address }> {
  const transport = http(parameters.rpcUrl, {
    timeout: parameters.requestTimeoutMs ?? 30_000,
    retryCount: 0,
  });
  const chainId = await createPublicClient({ transport }).getChainId();
  const chain: Chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [parameters.rpcUrl] } },
  });
  const publicClient: PublicClient<Transport, Chain> = createPublicClient({
    chain,
    transport,
    pollingInterval: 100,
  });
  const account = privateKeyToAccount(parameters.managerKey);
  const wallet: WalletClient<Transport, Chain, Account> = createWalletClient({
    chain,
    transport,
    account,
  });
  const registry = { address: parameters.registryAddress, abi: energyRegistryAbi } as const;

  const checkManager = async (siteId: Hex): Promise<void> => {
    const owner = await publicClient.readContract({
      ...registry,
      functionName: "siteOwner",
      args: [siteId],
    });
    if (BigInt(owner) === 0n) {
      throw new InvalidInputError("siteId", `site ${siteId} is not registered in EnergyRegistry`, {
        hints: ["Register the site first (the registry admin's registerSite), or check --site."],
      });
    }
    const base = await publicClient.readContract({
      ...registry,
      functionName: "SITE_MANAGER_ROLE",
    });
    const role = await publicClient.readContract({
      ...registry,
      functionName: "siteRole",
      args: [base, siteId],
    });
    const isManager = await publicClient.readContract({
      ...registry,
      functionName: "hasRole",
      args: [role, account.address],
    });
    if (!isManager) {
      throw new InvalidInputError(
        "managerKey",
        `${account.address} does not hold the site manager role of site ${siteId}`,
        {
          hints: [
            "Use a site manager's key (--manager-key-file), or have the site's manager grant the role.",
          ],
        },
      );
    }
  };

  const send = async (request: Parameters<typeof wallet.writeContract>[0]): Promise<Hex> => {
    const hash = await wallet.writeContract(request);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return hash;
  };

  return {
    manager: account.address,
    async registerDevice(device: ChainDeviceRegistration) {
      await checkManager(device.siteId);
      const existing = await publicClient.readContract({
        ...registry,
        functionName: "device",
        args: [device.deviceId],
      });
      if (existing.siteId !== ZERO32) {
        const terms = await publicClient.readContract({
          ...registry,
          functionName: "deviceKeyTerms",
          args: [device.deviceId],
        });
        const current = terms.at(-1);
        const same =
          existing.siteId === device.siteId &&
          existing.machineId === device.machineId &&
          existing.kind === device.kindCode &&
          current?.keyHash === device.keyHash &&
          current.untilBlock === OPEN_TERM;
        // Exactly this registration is there: a retry after the chain step succeeded
        // and the store step did not. Anything else is someone else's device.
        if (same) return undefined;
        throw new InvalidInputError(
          "deviceId",
          `device ${device.deviceId} is already registered on chain (site ${existing.siteId}, kind ${existing.kind})`,
          { hints: ["A device id is registered once; give the new device a new id."] },
        );
      }
      if (device.machineId !== ZERO32) {
        const machineSite = await publicClient.readContract({
          ...registry,
          functionName: "machineSite",
          args: [device.machineId],
        });
        if (machineSite !== device.siteId) {
          throw new InvalidInputError(
            "machineId",
            `machine ${device.machineId} is not registered at site ${device.siteId}`,
            { hints: ["Register the machine at the site first (registerMachine)."] },
          );
        }
      }
      return send({
        ...registry,
        functionName: "registerDevice",
        args: [device.siteId, device.deviceId, device.machineId, device.kindCode, device.keyHash],
        account,
        chain,
      });
    },
    async revokeDevice(device: DeviceRecord) {
      const onChain = await publicClient.readContract({
        ...registry,
        functionName: "device",
        args: [device.deviceId],
      });
      if (onChain.siteId === ZERO32) {
        throw new InvalidInputError(
          "deviceId",
          `device ${device.deviceId} is not registered on chain`,
          {
            hints: [
              "Only a device registered on chain can be revoked there; check the chain and deployments file.",
            ],
          },
        );
      }
      await checkManager(onChain.siteId);
      const terms = await publicClient.readContract({
        ...registry,
        functionName: "deviceKeyTerms",
        args: [device.deviceId],
      });
      if (terms.at(-1)?.untilBlock !== OPEN_TERM) return undefined;
      return send({
        ...registry,
        functionName: "revokeDeviceKey",
        args: [device.deviceId],
        account,
        chain,
      });
    },
  };
}
