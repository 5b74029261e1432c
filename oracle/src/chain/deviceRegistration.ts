import { InvalidInputError, deviceKeyHash, deviceKindCode } from "@energy-intelligence/sdk";
import type {
  DeviceRecord,
  DeviceRegistryChain,
  DevicesRepository,
} from "../store/devicesRepository.ts";

/**
 * Registers a device on chain and in the gateway store, in that order, after
 * checking both: bad input, an id the store knows, or anything the chain
 * would refuse fails before a transaction is sent or a row is written.
 *
 * The chain goes first because it is the slow, fallible step; if the process
 * dies between the two, running the same command again finds exactly this
 * registration on chain, skips the transaction and writes the store.
 *
 * @throws {InvalidInputError} naming the field (from the store's schema or the chain's checks).
 * @example
 * ```ts
 * const record = await addDevice({ devices, chain, input: { deviceId, siteId, machineId, kind, authScheme, publicKey, channelCount } });
 * ```
 */
export async function addDevice(parameters: {
  devices: DevicesRepository;
  chain: DeviceRegistryChain;
  input: unknown;
  nowMs?: number;
}): Promise<{ record: DeviceRecord; txHash: `0x${string}` | undefined }> {
  const device = parameters.devices.validateNew(parameters.input);
  const keyHash =
    device.authScheme === "ed25519" || device.authScheme === "secp256k1"
      ? deviceKeyHash({ scheme: device.authScheme, publicKey: device.publicKey ?? "0x" })
      : device.authScheme === "hmac-sha256"
        ? deviceKeyHash({ scheme: "hmac-sha256", secret: device.hmacSecret ?? "0x" })
        : deviceKeyHash({ scheme: device.authScheme });
  const txHash = await parameters.chain.registerDevice({
    deviceId: device.deviceId,
    siteId: device.siteId,
    machineId: device.machineId,
    kindCode: deviceKindCode(device.kind),
    keyHash,
  });
  const record = parameters.devices.add(parameters.input, parameters.nowMs, {
    keyHash,
    registerTx: txHash ?? null,
  });
  return { record, txHash };
}

/**
 * Revokes a device's key on chain, then in the gateway store (its messages are
 * refused from then on; what it sent stays). An unknown device, or a chain
 * refusal, changes nothing.
 *
 * @throws {InvalidInputError} for a device the store does not know, or the chain's checks.
 */
export async function revokeDevice(parameters: {
  devices: DevicesRepository;
  chain: DeviceRegistryChain;
  deviceId: string;
  nowMs?: number;
}): Promise<{ record: DeviceRecord; txHash: `0x${string}` | undefined }> {
  const existing = parameters.devices.get(parameters.deviceId);
  if (existing === undefined) {
    throw new InvalidInputError("deviceId", `no device ${parameters.deviceId} is registered`, {
      hints: ["`ei device list` shows the devices this gateway knows."],
    });
  }
  const txHash = await parameters.chain.revokeDevice(existing);
  const record = parameters.devices.revoke(parameters.deviceId, parameters.nowMs, txHash ?? null);
  return { record, txHash };
}
