import { InvalidInputError } from "../errors/index.ts";
import { toBigIntInteger } from "./toBigIntInteger.ts";

export type TimestampMsToSecondsErrorType = InvalidInputError;

/**
 * An instant (a job stamp's receipt time, say) from Unix ms to Unix seconds,
 * rounded down: the result is the on-chain second [s, s + 1) that contains the
 * instant. Not for period boundaries, which must be exact (see
 * periodBoundaryMsToSeconds).
 *
 * @param path - how an error names the value (default `timestampMs`).
 * @throws {InvalidInputError} when the time is negative or not an integer.
 * @example
 * ```ts
 * timestampMsToSeconds(1_700_000_000_999n); // 1700000000n
 * ```
 */
export function timestampMsToSeconds(timestampMs: bigint | number, path = "timestampMs"): bigint {
  const milliseconds = toBigIntInteger(timestampMs, path);
  if (milliseconds < 0n) throw new InvalidInputError(path, "a Unix time cannot be negative");
  return milliseconds / 1_000n;
}
