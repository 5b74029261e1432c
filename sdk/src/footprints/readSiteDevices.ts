import type { Address, Hex, PublicClient } from "viem";
import { energyRegistryAbi } from "../contracts/generated/abis.ts";

export interface ReadSiteDevicesParameters {
  client: PublicClient;
  registry: Address;
  siteId: Hex;
  fromBlock: bigint;
  toBlock?: bigint | undefined;
}

/**
 * The devices registered at a site: lowercase device id → the machine it
 * measures (lowercase), or the zero id for a meter of the whole site, from
 * EnergyRegistry's DeviceRegistered events.
 *
 * @example
 * ```ts
 * const devices = await readSiteDevices({ client, registry, siteId, fromBlock: 0n });
 * devices.get(deviceId); // machine id
 * ```
 */
export async function readSiteDevices(
  parameters: ReadSiteDevicesParameters,
): Promise<Map<string, Hex>> {
  const logs = await parameters.client.getContractEvents({
    address: parameters.registry,
    abi: energyRegistryAbi,
    eventName: "DeviceRegistered",
    args: { siteId: parameters.siteId },
    fromBlock: parameters.fromBlock,
    toBlock: parameters.toBlock ?? "latest",
    strict: true,
  });
  return new Map(
    logs.map((log) => [log.args.deviceId.toLowerCase(), log.args.machineId.toLowerCase() as Hex]),
  );
}
