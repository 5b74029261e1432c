import type { InvalidInputError } from "../errors/index.ts";
import { cutCounterEnergy } from "./cutCounterEnergy.ts";
import { hourCutsMs } from "./hourCutsMs.ts";
import type { CounterBoundary, EnergyPiece, NeedsMoreData } from "./types.ts";
import { elementAt } from "./elementAt.ts";

export interface SplitCounterEnergyByHourParameters {
  readings: unknown;
  config: unknown;
  startMs: number;
  endMs: number;
  /** The previous period's `endBoundary`; see cutCounterEnergy. */
  startBoundary?: CounterBoundary | undefined;
  nowMs: number;
  graceMs: number;
}
export type SplitCounterEnergyByHourReturnType =
  | {
      status: "complete";
      /** One piece per clock hour the period touches, in order; they tile [startMs, endMs). */
      hours: EnergyPiece[];
      /** The period total: the sum of the hours, exactly. */
      energyImportedMilliWattHours: bigint;
      energyExportedMilliWattHours: bigint;
      startBoundary: CounterBoundary;
      endBoundary: CounterBoundary;
    }
  | NeedsMoreData;
export type SplitCounterEnergyByHourErrorType = InvalidInputError;

/**
 * A period's energy cut into clock hours (UTC) with the same interpolation as
 * the period itself, for hourly emission factors. The hours telescope, so they
 * sum exactly to the period's energy from periodCounterEnergy.
 *
 * @throws {InvalidInputError} for bad readings or config, or `endMs` ≤ `startMs`.
 * @example
 * ```ts
 * const split = splitCounterEnergyByHour({ readings, config, startMs, endMs, nowMs: Date.now(), graceMs: 300_000 });
 * if (split.status === "complete") split.hours.length; // clock hours touched
 * ```
 */
export function splitCounterEnergyByHour({
  readings,
  config,
  startMs,
  endMs,
  startBoundary,
  nowMs,
  graceMs,
}: SplitCounterEnergyByHourParameters): SplitCounterEnergyByHourReturnType {
  const cutsMs = hourCutsMs(startMs, endMs);
  const result = cutCounterEnergy({ readings, config, cutsMs, startBoundary, nowMs, graceMs });
  if (result.status === "needs-more-data") return result;
  let imported = 0n;
  let exported = 0n;
  for (const hour of result.pieces) {
    imported += hour.energyImportedMilliWattHours;
    exported += hour.energyExportedMilliWattHours;
  }
  return {
    status: "complete",
    hours: result.pieces,
    energyImportedMilliWattHours: imported,
    energyExportedMilliWattHours: exported,
    startBoundary: elementAt(result.boundaries, 0),
    endBoundary: elementAt(result.boundaries, result.boundaries.length - 1),
  };
}
