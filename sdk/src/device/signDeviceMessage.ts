import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
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
      scheme: "secp256k1";
      /** The device's 32-byte secp256k1 secret key, 0x-hex. */
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
 * Signs a device message body as a device does, over the JCS bytes of the body
 * ({@link deviceMessageSigningBytes}): Ed25519; or ECDSA secp256k1 over their
 * SHA-256, written r ‖ s (64 bytes) with a low s (RFC 6979 nonces, so
 * deterministic); or HMAC-SHA256.
 *
 * @throws {InvalidInputError} when the key has the wrong length or is not a valid secp256k1 scalar.
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
  if (parameters.scheme === "secp256k1") {
    const secretKey = hexToKeyBytes(parameters.secretKey, "secretKey", 32, 32);
    if (!secp256k1.utils.isValidSecretKey(secretKey)) {
      throw new InvalidInputError("secretKey", "not a valid secp256k1 secret key (0 < key < n)");
    }
    // noble hashes the message with SHA-256 (prehash) and returns compact r ‖ s with low s.
    const signature = secp256k1.sign(bytes, secretKey);
    return { ...body, auth: { scheme: "secp256k1", signature: `0x${bytesToHex(signature)}` } };
  }
  const secret = hexToKeyBytes(parameters.secret, "secret", 16, 1024);
  const mac = hmac(sha256, secret, bytes);
  return { ...body, auth: { scheme: "hmac-sha256", signature: `0x${bytesToHex(mac)}` } };
}
