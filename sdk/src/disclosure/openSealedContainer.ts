import { x25519 } from "@noble/curves/ed25519.js";
import { hexToBytes } from "viem";
import type { Hex } from "viem";
import type { InvalidInputError } from "../errors/index.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import {
  INFO_KEK,
  aesGcmDecrypt,
  concatBytes,
  fromBase64,
  hex,
  hkdfSha256,
  keyBytes,
} from "./internal/sealingCrypto.ts";
import { OpenSealedContainerError } from "./OpenSealedContainerError.ts";
import type { SealedContainer } from "./sealedContainerSchema.ts";

export interface OpenSealedContainerParameters {
  sealed: SealedContainer;
  /** The auditor's X25519 private key (32 bytes). */
  privateKey: Uint8Array | Hex;
}
export type OpenSealedContainerErrorType = OpenSealedContainerError | InvalidInputError;

/**
 * Decrypts a sealed container with a recipient's private key and returns the
 * bytes of the container document inside (its JCS form, as sealed). The
 * caller parses and verifies them (verifyContainer does, and also checks that
 * their public part equals the envelope's).
 *
 * @throws {OpenSealedContainerError} when the key is not a recipient or the data was altered.
 * @example
 * ```ts
 * const documentBytes = openSealedContainer({ sealed, privateKey: auditorKey });
 * ```
 */
export function openSealedContainer(parameters: OpenSealedContainerParameters): Uint8Array {
  const privateKey = keyBytes(parameters.privateKey, 32, "privateKey");
  const publicKey = hex(x25519.getPublicKey(privateKey));
  const { sealed } = parameters;
  const recipient = sealed.sealed.recipients.find((entry) => entry.publicKey === publicKey);
  if (recipient === undefined) {
    throw new OpenSealedContainerError("not-a-recipient", {
      details: `Key ${publicKey} is not among the ${sealed.sealed.recipients.length} recipient(s).`,
      hints: ["Ask the site to seal its containers to your auditor key."],
    });
  }
  const ephemeralPublicKey = hexToBytes(recipient.ephemeralPublicKey);
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(privateKey, ephemeralPublicKey);
  } catch (cause) {
    throw new OpenSealedContainerError("decryption-failed", {
      details: "bad ephemeral key",
      cause,
    });
  }
  const kek = hkdfSha256(
    shared,
    concatBytes(ephemeralPublicKey, hexToBytes(publicKey)),
    INFO_KEK,
    32,
  );
  const nonce = hexToBytes(sealed.sealed.nonce);
  const contentKey = aesGcmDecrypt(
    kek,
    new Uint8Array(12),
    hexToBytes(recipient.wrappedKey),
    nonce,
  );
  if (contentKey === undefined)
    throw new OpenSealedContainerError("decryption-failed", { details: "the wrapped key" });
  const plaintext = aesGcmDecrypt(
    contentKey,
    nonce,
    fromBase64(sealed.sealed.ciphertext),
    canonicalJsonBytes(sealed.public),
  );
  if (plaintext === undefined)
    throw new OpenSealedContainerError("decryption-failed", { details: "the content" });
  return plaintext;
}
