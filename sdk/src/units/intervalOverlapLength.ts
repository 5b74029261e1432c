import { assertInterval } from "./assertInterval.ts";
import type { Interval } from "./types.ts";

/**
 * Length of the overlap of two half-open intervals, in their unit; 0 when
 * they are disjoint or only touch ([0, 10) and [10, 20) share nothing).
 *
 * @throws {InvalidInputError} when either interval's end is before its start.
 * @example
 * ```ts
 * intervalOverlapLength({ start: 0n, end: 10n }, { start: 5n, end: 20n }); // 5n
 * ```
 */
export function intervalOverlapLength(a: Interval, b: Interval): bigint {
  assertInterval(a, "a");
  assertInterval(b, "b");
  const start = a.start > b.start ? a.start : b.start;
  const end = a.end < b.end ? a.end : b.end;
  return end > start ? end - start : 0n;
}
