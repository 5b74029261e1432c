import { assertInterval } from "./assertInterval.ts";
import type { Interval } from "./types.ts";

/**
 * Whether a point lies in the half-open interval [start, end): start is in,
 * end is out, so a reading exactly on a boundary belongs to the later period.
 *
 * @throws {InvalidInputError} when the interval's end is before its start.
 * @example
 * ```ts
 * intervalContains({ start: 0n, end: 3_600_000n }, 0n); // true
 * intervalContains({ start: 0n, end: 3_600_000n }, 3_600_000n); // false
 * ```
 */
export function intervalContains(interval: Interval, point: bigint): boolean {
  assertInterval(interval);
  return interval.start <= point && point < interval.end;
}
