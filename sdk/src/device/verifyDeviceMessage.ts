import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import { InvalidInputError } from "../errors/index.ts";
import type { DeviceMessage } from "./deviceMessageSchema.ts";
import { deviceMessageSigningBytes } from "./deviceMessageSigningBytes.ts";
import { hexToKeyBytes } from "./hexToKeyBytes.ts";

export type VerifyDeviceMessageParameters =
  | {
      message: DeviceMessage;
      /**
       * The device's registered public key, 0x-hex: Ed25519 (32 bytes) or secp256k1
       * (33 bytes compressed, 65 uncompressed). Its length says which.
       */
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

function verifyWithPublicKey(
  scheme: "ed25519" | "secp256k1",
  signature: Uint8Array,
  bytes: Uint8Array,
  publicKeyHex: `0x${string}`,
): boolean {
  const publicKey = hexToKeyBytes(publicKeyHex, "publicKey", 32, 65);
  if (publicKey.length === 32) {
    if (scheme !== "ed25519" || signature.length !== 64) return false;
    try {
      return ed25519.verify(signature, bytes, publicKey);
    } catch {
      // noble throws on points that do not decode: that is a bad signature, not a bad key.
      return false;
    }
  }
  if (publicKey.length !== 33 && publicKey.length !== 65) {
    throw new InvalidInputError(
      "publicKey",
      `expected 32 (Ed25519), 33 or 65 (secp256k1) bytes, got ${publicKey.length}`,
    );
  }
  try {
    secp256k1.Point.fromBytes(publicKey);
  } catch (cause) {
    throw new InvalidInputError("publicKey", "not a point on secp256k1", { cause });
  }
  if (scheme !== "secp256k1" || signature.length !== 64) return false;
  try {
    // lowS (the default) refuses the malleated twin (r, n − s) of a valid signature,
    // so one message has one accepted signature.
    return secp256k1.verify(signature, bytes, publicKey, { lowS: true, prehash: true });
  } catch {
    return false;
  }
}

/**
 * Checks a device message's signature (Ed25519, ECDSA secp256k1) or MAC
 * (HMAC-SHA256) against the key registered for the device. False for a wrong
 * or malformed signature, a high-s secp256k1 signature, a scheme that does not
 * match the key given, and for unsigned schemes (`network-server`, `polled`,
 * `serial`), which carry no signature to check.
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
  if (auth.scheme !== "ed25519" && auth.scheme !== "secp256k1" && auth.scheme !== "hmac-sha256")
    return false;
  const signature = hexToBytes(auth.signature.slice(2));
  const bytes = deviceMessageSigningBytes(parameters.message);
  if ("publicKey" in parameters) {
    if (auth.scheme === "hmac-sha256") {
      hexToKeyBytes(parameters.publicKey, "publicKey", 32, 65);
      return false;
    }
    return verifyWithPublicKey(auth.scheme, signature, bytes, parameters.publicKey);
  }
  const secret = hexToKeyBytes(parameters.secret, "secret", 16, 1024);
  if (auth.scheme !== "hmac-sha256") return false;
  return constantTimeEqual(hmac(sha256, secret, bytes), signature);
}
