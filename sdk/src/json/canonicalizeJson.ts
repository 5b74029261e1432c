import canonicalize from "canonicalize";
import { InvariantError } from "../errors/index.ts";
import type { InvalidInputError } from "../errors/index.ts";
import { assertJsonValue } from "./assertJsonValue.ts";

export type CanonicalizeJsonErrorType = InvalidInputError | InvariantError;

/**
 * Serialises JSON data as RFC 8785 (JSON Canonicalization Scheme): object
 * members sorted by the UTF-16 code units of their names, no whitespace,
 * numbers in ECMAScript's shortest round-trip form, strings with the minimal
 * escapes. Two parties holding the same data get the same string, so hashes
 * and CIDs over it agree.
 *
 * Input is checked first with {@link assertJsonValue}: what JCS cannot
 * represent is refused with an error naming its path, never coerced.
 *
 * @throws {InvalidInputError} when the value is not JSON data (see assertJsonValue).
 * @example
 * ```ts
 * canonicalizeJson({ b: 2, a: [1e21, "é"] }); // '{"a":[1e+21,"é"],"b":2}'
 * ```
 */
export function canonicalizeJson(value: unknown): string {
  assertJsonValue(value);
  const text = canonicalize(value);
  // assertJsonValue already refused everything canonicalize maps to undefined.
  if (text === undefined) throw new InvariantError("canonicalize returned undefined for JSON data");
  return text;
}
