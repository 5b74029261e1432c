import type { InvalidInputError } from "../errors/index.ts";
import type { Hex } from "../merkle/types.ts";
import { createReadingSaltDeriver } from "./createReadingSaltDeriver.ts";

export type DeriveReadingSaltParameters = [
  siteSecret: Uint8Array | Hex,
  deviceId: Hex,
  channel: number,
  sequence: bigint,
];
export type DeriveReadingSaltReturnType = Hex;
export type DeriveReadingSaltErrorType = InvalidInputError;

/**
 * The salt of one reading leaf: HMAC-SHA256 keyed with the site secret over
 * `"ei-reading-salt-v1" || deviceId (32 bytes) || channel (uint32 BE) || sequence (uint64 BE)`
 * (62 bytes). Deterministic, so a container rebuilt after a crash is
 * byte-identical; secret, so a published root reveals nothing about withheld
 * readings (their leaves cannot be guessed and tried).
 *
 * @example
 * ```ts
 * const salt = deriveReadingSalt(siteSecret, deviceId, 0, 42n);
 * ```
 */
export function deriveReadingSalt(
  ...[siteSecret, deviceId, channel, sequence]: DeriveReadingSaltParameters
): DeriveReadingSaltReturnType {
  return createReadingSaltDeriver(siteSecret)(deviceId, channel, sequence);
}
