import { ed25519 } from "@noble/curves/ed25519.js";
import { bytesToHex } from "@noble/hashes/utils.js";

export interface GenerateDeviceKeyReturnType {
  /** 32-byte Ed25519 secret key, 0x-hex: stays on the device. */
  secretKey: `0x${string}`;
  /** 32-byte Ed25519 public key, 0x-hex: registered with `ei device add`. */
  publicKey: `0x${string}`;
}

/**
 * A fresh Ed25519 key pair for a device, or the one derived from a given
 * 32-byte seed (simulators use seeds so runs are repeatable).
 *
 * @example
 * ```ts
 * const { secretKey, publicKey } = generateDeviceKey();
 * ```
 */
export function generateDeviceKey(seed?: Uint8Array): GenerateDeviceKeyReturnType {
  const secretKey = seed ?? ed25519.utils.randomSecretKey();
  return {
    secretKey: `0x${bytesToHex(secretKey)}`,
    publicKey: `0x${bytesToHex(ed25519.getPublicKey(secretKey))}`,
  };
}
