import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { InvalidInputError } from "../errors/index.ts";
import { writeIntegerWord } from "../merkle/internal/abiValues.ts";
import { bytesToHex, decodeHexInto, describe } from "../merkle/internal/hex.ts";
import type { Hex } from "../merkle/types.ts";

/** Domain separator: a salt can never collide with another HMAC use of the same secret. */
export const READING_SALT_DOMAIN = "ei-reading-salt-v1";

/** Length of the HMAC message: domain (18) + deviceId (32) + channel (4) + sequence (8). */
const MESSAGE_BYTES = READING_SALT_DOMAIN.length + 32 + 4 + 8;
const MIN_SECRET_BYTES = 16;
const UINT32 = { kind: "uint", bits: 32, name: "uint32" } as const;
const UINT64 = { kind: "uint", bits: 64, name: "uint64" } as const;

export type ReadingSaltDeriver = (deviceId: Hex, channel: number, sequence: bigint) => Hex;
export type CreateReadingSaltDeriverParameters = [siteSecret: Uint8Array | Hex];
export type CreateReadingSaltDeriverReturnType = ReadingSaltDeriver;
export type CreateReadingSaltDeriverErrorType = InvalidInputError;

/**
 * `deriveReadingSalt` with the site secret bound once: the HMAC key schedule
 * is computed once and cloned per salt, about twice as fast when salting a
 * whole container of readings.
 *
 * @example
 * ```ts
 * const salt = createReadingSaltDeriver(siteSecret);
 * const leaves = readings.map((r) => ({ ...r, salt: salt(r.deviceId, r.channel, r.sequence) }));
 * ```
 */
export function createReadingSaltDeriver(
  ...[siteSecret]: CreateReadingSaltDeriverParameters
): CreateReadingSaltDeriverReturnType {
  const key = toSecretBytes(siteSecret);
  const keyed = hmac.create(sha256, key);
  const message = new Uint8Array(MESSAGE_BYTES);
  for (let i = 0; i < READING_SALT_DOMAIN.length; i++)
    message[i] = READING_SALT_DOMAIN.charCodeAt(i);
  const word = new Uint8Array(32);
  const deviceOffset = READING_SALT_DOMAIN.length;
  return (deviceId, channel, sequence) => {
    if (typeof deviceId !== "string" || !decodeHexInto(deviceId, 32, message, deviceOffset)) {
      throw new InvalidInputError(
        "deviceId",
        `expected 32 bytes as 0x-hex, got ${describe(deviceId)}`,
      );
    }
    // Big-endian fixed widths: the same integer always gives the same bytes.
    writeIntegerWord(channel, UINT32, word, 0, "channel");
    message.set(word.subarray(28, 32), deviceOffset + 32);
    writeIntegerWord(sequence, UINT64, word, 0, "sequence");
    message.set(word.subarray(24, 32), deviceOffset + 36);
    return bytesToHex(keyed.clone().update(message).digest());
  };
}

function toSecretBytes(siteSecret: unknown): Uint8Array {
  let bytes: Uint8Array | undefined;
  if (siteSecret instanceof Uint8Array) bytes = siteSecret;
  else if (typeof siteSecret === "string" && /^0x([0-9a-fA-F]{2})*$/.test(siteSecret)) {
    bytes = new Uint8Array((siteSecret.length - 2) / 2);
    decodeHexInto(siteSecret, bytes.length, bytes, 0);
  }
  if (bytes === undefined || bytes.length < MIN_SECRET_BYTES) {
    throw new InvalidInputError(
      "siteSecret",
      `expected at least ${MIN_SECRET_BYTES} secret bytes (Uint8Array or 0x-hex), got ${describe(siteSecret)}`,
      { hints: ["Use 32 random bytes per site, kept with the gateway's keys."] },
    );
  }
  return bytes;
}
