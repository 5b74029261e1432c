import { InvalidInputError } from "../errors/index.ts";
import type { Interval } from "./types.ts";

export type AssertIntervalErrorType = InvalidInputError;

/**
 * Checks that a half-open interval [start, end) is well formed: start ≤ end.
 * An empty interval (start = end) is allowed; it contains nothing.
 *
 * @param path - how an error names the interval (default `interval`).
 * @throws {InvalidInputError} when end is before start.
 * @example
 * ```ts
 * assertInterval({ start: 10n, end: 5n }, "period"); // throws, path "period"
 * ```
 */
export function assertInterval(interval: Interval, path = "interval"): void {
  if (interval.end < interval.start)
    throw new InvalidInputError(path, `end ${interval.end} is before start ${interval.start}`, {
      hints: ["Intervals are half-open [start, end) with start <= end."],
    });
}
