import type { InvalidInputError } from "../errors/index.ts";
import { cutCounterEnergy } from "./cutCounterEnergy.ts";
import type { CounterBoundary, EnergyPiece, NeedsMoreData } from "./types.ts";
import { validatePeriod } from "./validatePeriod.ts";
import { elementAt } from "./elementAt.ts";

export interface PeriodCounterEnergyParameters {
  readings: unknown;
  config: unknown;
  startMs: number;
  endMs: number;
  /** The previous period's `endBoundary`; see cutCounterEnergy. */
  startBoundary?: CounterBoundary | undefined;
  nowMs: number;
  graceMs: number;
}
export type PeriodCounterEnergyReturnType =
  | {
      status: "complete";
      energy: EnergyPiece;
      startBoundary: CounterBoundary;
      /** Hand this to the next period as its `startBoundary`. */
      endBoundary: CounterBoundary;
    }
  | NeedsMoreData;
export type PeriodCounterEnergyErrorType = InvalidInputError;

/**
 * A container's energy: the counter interpolated at the end of the half-open
 * period [startMs, endMs) minus the counter interpolated at its start, for the
 * imported and the exported counter, with flags saying how each was obtained.
 * Consecutive periods computed with the same readings (or chained through
 * `startBoundary`) sum exactly to the meter.
 *
 * @throws {InvalidInputError} for bad readings or config, or `endMs` ≤ `startMs`.
 * @example
 * ```ts
 * const result = periodCounterEnergy({
 *   readings, config: { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 },
 *   startMs: 0, endMs: 900_000, nowMs: Date.now(), graceMs: 300_000,
 * });
 * if (result.status === "needs-more-data") setTimeout(retry, result.graceDeadlineMs - Date.now());
 * ```
 */
export function periodCounterEnergy({
  readings,
  config,
  startMs,
  endMs,
  startBoundary,
  nowMs,
  graceMs,
}: PeriodCounterEnergyParameters): PeriodCounterEnergyReturnType {
  validatePeriod(startMs, endMs);
  const result = cutCounterEnergy({
    readings,
    config,
    cutsMs: [startMs, endMs],
    startBoundary,
    nowMs,
    graceMs,
  });
  if (result.status === "needs-more-data") return result;
  const [start, end] = result.boundaries as [CounterBoundary, CounterBoundary];
  return {
    status: "complete",
    energy: elementAt(result.pieces, 0),
    startBoundary: start,
    endBoundary: end,
  };
}
