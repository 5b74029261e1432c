import { x25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import type {
  ContainerDocument,
  ContainerPublicPart,
} from "../containers/containerDocumentSchema.ts";
import {
  INFO_CONTENT,
  INFO_EPHEMERAL,
  INFO_KEK,
  aesGcmEncrypt,
  concatBytes,
  hex,
  hkdfSha256,
  keyBytes,
  toBase64,
} from "./internal/sealingCrypto.ts";
import { SEALED_CONTAINER_FORMAT, SEALING_SCHEME } from "./sealedContainerSchema.ts";
import type { SealedContainer } from "./sealedContainerSchema.ts";

export interface SealContainerDocumentParameters {
  document: ContainerDocument;
  /** The site secret (the one the reading salts come from); keys derive from it, see below. */
  siteSecret: Uint8Array | Hex;
  /** X25519 public keys of the site's registered auditors (32 bytes each). */
  recipients: readonly (Uint8Array | Hex)[];
}
export type SealContainerDocumentErrorType = InvalidInputError;

/**
 * Seals a container document to its recipients: the document without its
 * readings stays public, the whole document is encrypted once (AES-256-GCM,
 * the public part's JCS bytes as associated data, so the ciphertext cannot be
 * moved under another public part) and its content key is wrapped for each
 * recipient with X25519 ECDH + HKDF-SHA256 + AES-256-GCM.
 *
 * Deterministic on purpose: the content key, nonce and each ephemeral key are
 * derived with HKDF from the site secret and the SHA-256 of the plaintext, so
 * a container rebuilt after a crash is byte-identical and gets the same CID.
 * A key is used for one plaintext only; the same plaintext sealed twice gives
 * the same bytes, which reveals nothing but that.
 *
 * @throws {InvalidInputError} for no recipients or a malformed key.
 * @example
 * ```ts
 * const sealed = sealContainerDocument({ document, siteSecret, recipients: [auditor.publicKey] });
 * const bytes = canonicalJsonBytes(sealed); // what is stored in IPFS and anchored
 * ```
 */
export function sealContainerDocument(
  parameters: SealContainerDocumentParameters,
): SealedContainer {
  const { document } = parameters;
  if (parameters.recipients.length === 0) {
    throw new InvalidInputError("recipients", "a sealed container needs at least one recipient", {
      hints: ["Register the site's auditors' X25519 keys, or publish the container in the clear."],
    });
  }
  const secret =
    parameters.siteSecret instanceof Uint8Array
      ? parameters.siteSecret
      : keyBytesAny(parameters.siteSecret);
  const { readings: _readings, ...publicPart } = document;
  const publicBytes = canonicalJsonBytes(publicPart satisfies ContainerPublicPart);
  const plaintext = canonicalJsonBytes(document);
  const plaintextHash = sha256(plaintext);
  const material = hkdfSha256(secret, plaintextHash, INFO_CONTENT, 44);
  const contentKey = material.subarray(0, 32);
  const nonce = material.subarray(32, 44);
  const ciphertext = aesGcmEncrypt(contentKey, nonce, plaintext, publicBytes);
  const seen = new Set<string>();
  const recipients = parameters.recipients.map((recipient, index) => {
    const publicKey = keyBytes(recipient, 32, `recipients[${index}]`);
    const publicKeyHex = hex(publicKey);
    if (seen.has(publicKeyHex)) throw new InvalidInputError(`recipients[${index}]`, "listed twice");
    seen.add(publicKeyHex);
    const ephemeralSecret = hkdfSha256(
      secret,
      plaintextHash,
      concatBytes(INFO_EPHEMERAL, publicKey),
      32,
    );
    const ephemeralPublicKey = x25519.getPublicKey(ephemeralSecret);
    const kek = hkdfSha256(
      x25519.getSharedSecret(ephemeralSecret, publicKey),
      concatBytes(ephemeralPublicKey, publicKey),
      INFO_KEK,
      32,
    );
    return {
      publicKey: publicKeyHex,
      ephemeralPublicKey: hex(ephemeralPublicKey),
      // Each KEK wraps exactly one key, so a fixed nonce is safe; the content nonce as AAD ties the wrap to this envelope.
      wrappedKey: hex(aesGcmEncrypt(kek, new Uint8Array(12), contentKey, nonce)),
    };
  });
  return {
    format: SEALED_CONTAINER_FORMAT,
    public: publicPart,
    sealed: {
      scheme: SEALING_SCHEME,
      nonce: hex(nonce),
      ciphertext: toBase64(ciphertext),
      recipients,
    },
  };
}

function keyBytesAny(secret: Hex): Uint8Array {
  if (!/^0x(?:[0-9a-fA-F]{2})+$/u.test(secret)) {
    throw new InvalidInputError("siteSecret", "expected a Uint8Array or 0x-hex bytes");
  }
  return keyBytes(secret, (secret.length - 2) / 2, "siteSecret");
}
