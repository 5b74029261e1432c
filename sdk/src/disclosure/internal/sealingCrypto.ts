import { gcm } from "@noble/ciphers/aes.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { base64pad } from "multiformats/bases/base64";
import { bytesToHex, hexToBytes } from "viem";
import type { Hex } from "viem";
import { InvalidInputError } from "../../errors/index.ts";

const encoder = new TextEncoder();

/** HKDF info strings: each derived key has its own, so none can stand in for another. */
export const INFO_CONTENT = encoder.encode("ei-sealed-container-v1/content");
export const INFO_EPHEMERAL = encoder.encode("ei-sealed-container-v1/ephemeral");
export const INFO_KEK = encoder.encode("ei-sealed-container-v1/kek");

export function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  return hkdf(sha256, ikm, salt, info, length);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function aesGcmEncrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  return gcm(key, nonce, aad).encrypt(plaintext);
}

/** Decrypts, or returns undefined when the tag does not verify (wrong key or altered data). */
export function aesGcmDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
): Uint8Array | undefined {
  try {
    return gcm(key, nonce, aad).decrypt(ciphertext);
  } catch {
    return undefined;
  }
}

export function toBase64(bytes: Uint8Array): string {
  return base64pad.baseEncode(bytes);
}

export function fromBase64(text: string): Uint8Array {
  return base64pad.baseDecode(text);
}

/** Bytes from a Uint8Array or 0x-hex of exactly `length` bytes. */
export function keyBytes(value: Uint8Array | Hex, length: number, path: string): Uint8Array {
  const bytes =
    value instanceof Uint8Array
      ? value
      : typeof value === "string" && /^0x[0-9a-fA-F]*$/u.test(value)
        ? hexToBytes(value)
        : undefined;
  if (bytes?.length !== length) {
    throw new InvalidInputError(path, `expected ${length} bytes (Uint8Array or 0x-hex)`);
  }
  return bytes;
}

export function hex(bytes: Uint8Array): Hex {
  return bytesToHex(bytes);
}
