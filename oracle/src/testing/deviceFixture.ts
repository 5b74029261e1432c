import { type KeyObject, createPrivateKey, sign } from "node:crypto";
import {
  DEVICE_MESSAGE_FORMAT,
  deviceMessageSigningBytes,
  type DeviceMessage,
  type DeviceMessageBody,
  type DeviceReading,
  generateDeviceKey,
  signDeviceMessage,
} from "@energy-intelligence/sdk";
import type { DevicesRepository } from "../store/devicesRepository.ts";

export const TEST_SITE_ID = `0x${"51".repeat(32)}` as const;
export const TEST_MACHINE_ID = `0x${"3a".repeat(32)}` as const;

/**
 * A device for tests and benchmarks: its key, registration, and a builder of
 * signed messages with consecutive sequences and rising counters.
 */
export class TestDevice {
  readonly deviceId: `0x${string}`;
  readonly siteId: `0x${string}` = TEST_SITE_ID;
  readonly secretKey: `0x${string}`;
  readonly publicKey: `0x${string}`;
  readonly channelCount: number;
  readonly #privateKey: KeyObject;
  nextSequence = 0;
  nextTimestampMs: number;
  counter = 1_000_000n;

  constructor(index: number, options: { channelCount?: number; startMs?: number } = {}) {
    const seed = new Uint8Array(32);
    new DataView(seed.buffer).setUint32(0, index + 1);
    const key = generateDeviceKey(seed);
    this.secretKey = key.secretKey;
    // PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410), for node:crypto.
    this.#privateKey = createPrivateKey({
      key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
      format: "der",
      type: "pkcs8",
    });
    this.publicKey = key.publicKey;
    this.deviceId = `0x${(index + 1).toString(16).padStart(8, "0")}${"d0".repeat(28)}`;
    this.channelCount = options.channelCount ?? 3;
    this.nextTimestampMs = options.startMs ?? Date.now() - 86_400_000;
  }

  register(devices: DevicesRepository): void {
    devices.add({
      deviceId: this.deviceId,
      siteId: this.siteId,
      machineId: TEST_MACHINE_ID,
      kind: "ct-clamp",
      authScheme: "ed25519",
      publicKey: this.publicKey,
      channelCount: this.channelCount,
    });
  }

  /** The next `count` readings, cycling through the channels, counters rising. */
  readings(count: number): DeviceReading[] {
    return Array.from({ length: count }, () => {
      const sequence = this.nextSequence++;
      this.counter += 1234n;
      const reading: DeviceReading = {
        channel: sequence % this.channelCount,
        sequence,
        timestampMs: this.nextTimestampMs,
        energyImportedMilliWattHours: this.counter.toString(),
        energyExportedMilliWattHours: "0",
        powerMilliWatts: 1_500_000,
        quality: "estimated",
      };
      this.nextTimestampMs += 1000;
      return reading;
    });
  }

  sign(readings: DeviceReading[], sentAtMs = Date.now()): DeviceMessage {
    return signDeviceMessage({
      body: { format: DEVICE_MESSAGE_FORMAT, deviceId: this.deviceId, sentAtMs, readings },
      scheme: "ed25519",
      secretKey: this.secretKey,
    });
  }

  /** As {@link sign} (Ed25519 is deterministic: same bytes), with OpenSSL for load generators. */
  signFast(readings: DeviceReading[], sentAtMs = Date.now()): DeviceMessage {
    const body: DeviceMessageBody = {
      format: DEVICE_MESSAGE_FORMAT,
      deviceId: this.deviceId,
      sentAtMs,
      readings,
    };
    const signature = sign(null, deviceMessageSigningBytes(body), this.#privateKey);
    return { ...body, auth: { scheme: "ed25519", signature: `0x${signature.toString("hex")}` } };
  }

  message(count: number): DeviceMessage {
    return this.sign(this.readings(count));
  }
}
