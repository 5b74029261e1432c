import { ed25519 } from "@noble/curves/ed25519.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { InvalidInputError } from "../errors/index.ts";
import type { DeviceMessage, DeviceMessageBody } from "./deviceMessageSchema.ts";
import { deviceMessageSigningBytes } from "./deviceMessageSigningBytes.ts";
import { hexToKeyBytes } from "./hexToKeyBytes.ts";

export type SignDeviceMessageParameters =
  | {
      body: DeviceMessageBody;
      scheme: "ed25519";
      /** The device's 32-byte Ed25519 secret key, 0x-hex. */
      secretKey: `0x${string}`;
    }
  | {
      body: DeviceMessageBody;
      scheme: "hmac-sha256";
      /** The shared secret registered for the device (at least 16 bytes), 0x-hex. */
      secret: `0x${string}`;
    };
export type SignDeviceMessageReturnType = DeviceMessage;
export type SignDeviceMessageErrorType = InvalidInputError;

/**
 * Signs a device message body as a device does: Ed25519 over, or HMAC-SHA256
 * of, the JCS bytes of the body ({@link deviceMessageSigningBytes}).
 *
 * @throws {InvalidInputError} when the key has the wrong length.
 * @example
 * ```ts
 * const message = signDeviceMessage({ body, scheme: "ed25519", secretKey });
 * mqttClient.publish(deviceReadingsTopic({ siteId, deviceId }), JSON.stringify(message), { qos: 1 });
 * ```
 */
export function signDeviceMessage(
  parameters: SignDeviceMessageParameters,
): SignDeviceMessageReturnType {
  const bytes = deviceMessageSigningBytes(parameters.body);
  const body: DeviceMessageBody = {
    format: parameters.body.format,
    deviceId: parameters.body.deviceId,
    sentAtMs: parameters.body.sentAtMs,
    readings: parameters.body.readings,
  };
  if (parameters.scheme === "ed25519") {
    const secretKey = hexToKeyBytes(parameters.secretKey, "secretKey", 32, 32);
    const signature = ed25519.sign(bytes, secretKey);
    return { ...body, auth: { scheme: "ed25519", signature: `0x${bytesToHex(signature)}` } };
  }
  const secret = hexToKeyBytes(parameters.secret, "secret", 16, 1024);
  const mac = hmac(sha256, secret, bytes);
  return { ...body, auth: { scheme: "hmac-sha256", signature: `0x${bytesToHex(mac)}` } };
}
