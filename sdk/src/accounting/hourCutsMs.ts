import { validatePeriod } from "./validatePeriod.ts";

const HOUR_MS = 3_600_000;

/**
 * The instants that cut a period into clock hours (UTC; hours are the same
 * instants in every whole-hour time zone): the start, every hour boundary
 * strictly inside, the end.
 *
 * @throws {InvalidInputError} when the period is not a valid half-open range.
 * @example
 * ```ts
 * hourCutsMs(1_800_000, 9_000_000); // [1_800_000, 3_600_000, 7_200_000, 9_000_000]
 * ```
 */
export function hourCutsMs(startMs: number, endMs: number): number[] {
  validatePeriod(startMs, endMs);
  const cuts = [startMs];
  for (let hour = (Math.floor(startMs / HOUR_MS) + 1) * HOUR_MS; hour < endMs; hour += HOUR_MS) {
    cuts.push(hour);
  }
  cuts.push(endMs);
  return cuts;
}
