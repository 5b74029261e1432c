import { x25519 } from "@noble/curves/ed25519.js";
import type { Hex } from "viem";
import type { InvalidInputError } from "../errors/index.ts";
import { hex, keyBytes } from "./internal/sealingCrypto.ts";

export type AuditorPublicKeyErrorType = InvalidInputError;

/**
 * The X25519 public key of an auditor's private key: the key a site seals
 * containers to.
 *
 * @throws {InvalidInputError} unless the key is 32 bytes.
 * @example
 * ```ts
 * auditorPublicKey(privateKey); // "0x…" (32 bytes)
 * ```
 */
export function auditorPublicKey(privateKey: Uint8Array | Hex): Hex {
  return hex(x25519.getPublicKey(keyBytes(privateKey, 32, "privateKey")));
}
