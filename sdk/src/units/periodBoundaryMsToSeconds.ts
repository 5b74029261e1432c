import { InvalidInputError } from "../errors/index.ts";
import { toBigIntInteger } from "./toBigIntInteger.ts";

export type PeriodBoundaryMsToSecondsErrorType = InvalidInputError;

/**
 * A period boundary (container or job window start/end) from Unix ms to the
 * Unix seconds stored on chain. A boundary must be a whole second: on chain
 * [start, end) is in seconds, so a boundary at 12:00:00.500 could not be
 * represented, and rounding it would move readings between containers.
 *
 * @param path - how an error names the value (default `timestampMs`).
 * @throws {InvalidInputError} when the time is negative or not a whole second.
 * @example
 * ```ts
 * periodBoundaryMsToSeconds(1_700_000_000_000n); // 1700000000n
 * periodBoundaryMsToSeconds(1_700_000_000_500n); // throws InvalidInputError
 * ```
 */
export function periodBoundaryMsToSeconds(
  timestampMs: bigint | number,
  path = "timestampMs",
): bigint {
  const milliseconds = toBigIntInteger(timestampMs, path);
  if (milliseconds < 0n) throw new InvalidInputError(path, "a Unix time cannot be negative");
  if (milliseconds % 1_000n !== 0n)
    throw new InvalidInputError(path, `${milliseconds} ms is not a whole second`, {
      hints: ["Period boundaries are whole seconds; align the period (e.g. to the hour)."],
    });
  return milliseconds / 1_000n;
}
