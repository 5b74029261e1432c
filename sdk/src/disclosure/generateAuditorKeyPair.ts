import { x25519 } from "@noble/curves/ed25519.js";
import type { Hex } from "viem";
import { hex } from "./internal/sealingCrypto.ts";

export interface AuditorKeyPair {
  /** X25519 private key: keep it in the auditor's key file, never share it. */
  privateKey: Hex;
  /** X25519 public key: give it to the sites whose containers you audit. */
  publicKey: Hex;
}

/**
 * A new X25519 key pair for an auditor, from the platform's cryptographic
 * random source (WebCrypto `getRandomValues`, in Node and browsers).
 *
 * @example
 * ```ts
 * const { privateKey, publicKey } = generateAuditorKeyPair();
 * ```
 */
export function generateAuditorKeyPair(): AuditorKeyPair {
  const { secretKey, publicKey } = x25519.keygen();
  return { privateKey: hex(secretKey), publicKey: hex(publicKey) };
}
