import { InvalidInputError } from "../errors/index.ts";

export type ToBigIntIntegerErrorType = InvalidInputError;

/**
 * An integer as bigint, from a bigint or a JavaScript number that is a safe
 * integer. Floats and unsafe integers are refused rather than rounded: above
 * 2^53 a number may already have lost the value it was meant to hold.
 *
 * @param path - how an error names the value, e.g. `readings[2].timestampMs`.
 * @throws {InvalidInputError} when the value is not an exact integer.
 * @example
 * ```ts
 * toBigIntInteger(1_700_000_000_000, "timestampMs"); // 1700000000000n
 * toBigIntInteger(1.5, "units"); // throws InvalidInputError (path "units")
 * ```
 */
export function toBigIntInteger(value: bigint | number, path: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value))
    throw new InvalidInputError(path, `${value} is not a safe integer`, {
      hints: ["Pass a bigint, or a decimal string where the API takes one."],
    });
  return BigInt(value);
}
