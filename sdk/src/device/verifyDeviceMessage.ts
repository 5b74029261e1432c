import { ed25519 } from "@noble/curves/ed25519.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import type { InvalidInputError } from "../errors/index.ts";
import type { DeviceMessage } from "./deviceMessageSchema.ts";
import { deviceMessageSigningBytes } from "./deviceMessageSigningBytes.ts";
import { hexToKeyBytes } from "./hexToKeyBytes.ts";

export type VerifyDeviceMessageParameters =
  | {
      message: DeviceMessage;
      /** The device's registered Ed25519 public key (32 bytes), 0x-hex. */
      publicKey: `0x${string}`;
    }
  | {
      message: DeviceMessage;
      /** The device's registered HMAC secret, 0x-hex. */
      secret: `0x${string}`;
    };
export type VerifyDeviceMessageReturnType = boolean;
export type VerifyDeviceMessageErrorType = InvalidInputError;

/** Compares without an early exit, so a MAC check leaks no timing about where bytes differ. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}

/**
 * Checks a device message's signature (Ed25519) or MAC (HMAC-SHA256) against the
 * key registered for the device. False for a wrong or malformed signature, for a
 * scheme that does not match the key given, and for unsigned schemes
 * (`network-server`, `polled`, `serial`), which carry no signature to check.
 *
 * Pure JavaScript (noble): the reference the gateway's native fast path is tested against.
 *
 * @throws {InvalidInputError} when the key itself is malformed (a configuration error, not a bad message).
 * @example
 * ```ts
 * verifyDeviceMessage({ message, publicKey: device.publicKey }); // true
 * ```
 */
export function verifyDeviceMessage(
  parameters: VerifyDeviceMessageParameters,
): VerifyDeviceMessageReturnType {
  const { auth } = parameters.message;
  if (auth.scheme !== "ed25519" && auth.scheme !== "hmac-sha256") return false;
  const signature = hexToBytes(auth.signature.slice(2));
  const bytes = deviceMessageSigningBytes(parameters.message);
  if ("publicKey" in parameters) {
    const publicKey = hexToKeyBytes(parameters.publicKey, "publicKey", 32, 32);
    if (auth.scheme !== "ed25519" || signature.length !== 64) return false;
    try {
      return ed25519.verify(signature, bytes, publicKey);
    } catch {
      // noble throws on points that do not decode: that is a bad signature, not a bad key.
      return false;
    }
  }
  const secret = hexToKeyBytes(parameters.secret, "secret", 16, 1024);
  if (auth.scheme !== "hmac-sha256") return false;
  return constantTimeEqual(hmac(sha256, secret, bytes), signature);
}
