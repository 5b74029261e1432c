import { z } from "zod";
import { containerPublicPartSchema } from "../containers/containerDocumentSchema.ts";

/**
 * A sealed container, `ei-sealed-container-v1` (docs/formats.md, "Disclosure"):
 * the public part of a container document in the clear, and the whole
 * document (readings included) encrypted once under a random-looking content
 * key that is wrapped for each recipient (the site's registered auditors).
 * Its JCS bytes are what the anchored CID names.
 */
export const SEALED_CONTAINER_FORMAT = "ei-sealed-container-v1";
/** X25519 ECDH, HKDF-SHA256, AES-256-GCM: the one sealing scheme of v1. */
export const SEALING_SCHEME = "x25519-hkdf-sha256-aes-256-gcm";

const hexBytes = (bytes: number) =>
  z
    .string()
    .regex(
      new RegExp(`^0x[0-9a-f]{${bytes * 2}}$`, "u"),
      `expected 0x and ${bytes} bytes of lowercase hex`,
    )
    .transform((value) => value as `0x${string}`);

export const sealedRecipientSchema = z.strictObject({
  /** The recipient's X25519 public key. */
  publicKey: hexBytes(32),
  /** The sender's one-time X25519 public key for this recipient. */
  ephemeralPublicKey: hexBytes(32),
  /** AES-256-GCM of the 32-byte content key under the key-encryption key: 32 + 16 tag bytes. */
  wrappedKey: hexBytes(48),
});

export const sealedContainerSchema = z.strictObject({
  format: z.literal(SEALED_CONTAINER_FORMAT),
  public: containerPublicPartSchema,
  sealed: z.strictObject({
    scheme: z.literal(SEALING_SCHEME),
    /** The AES-GCM nonce of the content. */
    nonce: hexBytes(12),
    /** AES-256-GCM(contentKey, nonce, JCS(container document), aad = JCS(public)), standard padded base64. */
    ciphertext: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/u, "expected standard base64"),
    recipients: z.array(sealedRecipientSchema).min(1),
  }),
});

export type SealedContainer = z.infer<typeof sealedContainerSchema>;
export type SealedRecipient = z.infer<typeof sealedRecipientSchema>;
