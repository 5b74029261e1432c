import type { CanonicalizeJsonErrorType } from "./canonicalizeJson.ts";
import { canonicalizeJson } from "./canonicalizeJson.ts";

export type CanonicalJsonBytesErrorType = CanonicalizeJsonErrorType;

const encoder = new TextEncoder();

/**
 * The UTF-8 bytes of a value's RFC 8785 (JCS) serialisation: what gets hashed,
 * stored on IPFS and turned into a CID.
 *
 * @throws {InvalidInputError} when the value is not JSON data (see assertJsonValue).
 * @example
 * ```ts
 * canonicalJsonBytes({ b: 1, a: "€" }); // Uint8Array of '{"a":"€","b":1}' (17 bytes)
 * ```
 */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalizeJson(value));
}
