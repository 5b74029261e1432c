import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { InvalidInputError } from "../errors/index.ts";

export interface GenerateSecp256k1DeviceKeyReturnType {
  /** 32-byte secp256k1 secret key, 0x-hex: stays on the device. */
  secretKey: `0x${string}`;
  /** 33-byte compressed SEC1 public key, 0x-hex: registered with `ei device add --scheme secp256k1`. */
  publicKey: `0x${string}`;
}
export type GenerateSecp256k1DeviceKeyErrorType = InvalidInputError;

/**
 * A fresh secp256k1 key pair for a device that signs with ECDSA (a secure
 * element, or an Ethereum-style key), or the one for a given 32-byte secret
 * (simulators use fixed keys so runs are repeatable).
 *
 * @throws {InvalidInputError} when the given secret is not a valid scalar (0 or ≥ n).
 * @example
 * ```ts
 * const { secretKey, publicKey } = generateSecp256k1DeviceKey();
 * signDeviceMessage({ body, scheme: "secp256k1", secretKey });
 * ```
 */
export function generateSecp256k1DeviceKey(
  secret?: Uint8Array,
): GenerateSecp256k1DeviceKeyReturnType {
  const secretKey = secret ?? secp256k1.utils.randomSecretKey();
  if (!secp256k1.utils.isValidSecretKey(secretKey)) {
    throw new InvalidInputError("secret", "not a valid secp256k1 secret key (0 < key < n)");
  }
  return {
    secretKey: `0x${bytesToHex(secretKey)}`,
    publicKey: `0x${bytesToHex(secp256k1.getPublicKey(secretKey, true))}`,
  };
}
