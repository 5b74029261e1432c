import { InvalidInputError } from "../errors/index.ts";
import { buildCounterTrack } from "./buildCounterTrack.ts";
import { counterBoundaryAt } from "./counterBoundaryAt.ts";
import { energyBetweenBoundaries } from "./energyBetweenBoundaries.ts";
import type { CounterBoundary, EnergyPiece, NeedsMoreData } from "./types.ts";
import { elementAt } from "./elementAt.ts";

export interface CutCounterEnergyParameters {
  /** One channel's readings, sorted; at least from the last reading at or before the first cut. */
  readings: unknown;
  /** The channel's declared counter behaviour (CounterChannelConfig). */
  config: unknown;
  /** Instants (Unix ms), strictly increasing, at least two: pieces are [cuts[k], cuts[k+1]). */
  cutsMs: readonly number[];
  /**
   * The end boundary of the previous period, used as the first cut's boundary
   * instead of recomputing it. Pass it whenever there is one: then consecutive
   * periods sum exactly to the meter even if the previous one closed on a
   * `held` estimate or readings arrived since.
   */
  startBoundary?: CounterBoundary | undefined;
  nowMs: number;
  graceMs: number;
}
export type CutCounterEnergyReturnType =
  { status: "complete"; pieces: EnergyPiece[]; boundaries: CounterBoundary[] } | NeedsMoreData;
export type CutCounterEnergyErrorType = InvalidInputError;

/**
 * Cuts a channel's counter energy at the given instants: each piece is the
 * counter interpolated at its end minus at its start (see counterBoundaryAt),
 * so the pieces sum exactly to C(last cut) − C(first cut). The engine behind
 * periodCounterEnergy, splitCounterEnergyByHour and job allocation.
 *
 * Returns `needs-more-data` when a cut still awaits a reading after it within
 * the grace period; `boundaries[k]` is the counter at `cutsMs[k]`.
 *
 * @throws {InvalidInputError} for bad readings, config or cuts (named by path).
 * @example
 * ```ts
 * const result = cutCounterEnergy({
 *   readings, config, cutsMs: [0, 900_000, 1_800_000], nowMs: Date.now(), graceMs: 300_000,
 * });
 * if (result.status === "complete") result.pieces.map((p) => p.energyImportedMilliWattHours);
 * ```
 */
export function cutCounterEnergy({
  readings,
  config,
  cutsMs,
  startBoundary,
  nowMs,
  graceMs,
}: CutCounterEnergyParameters): CutCounterEnergyReturnType {
  validateCuts(cutsMs);
  if (!Number.isSafeInteger(nowMs))
    throw new InvalidInputError("nowMs", `not an integer: ${nowMs}`);
  if (!Number.isSafeInteger(graceMs) || graceMs < 0) {
    throw new InvalidInputError("graceMs", `not a non-negative integer: ${graceMs}`);
  }
  if (startBoundary !== undefined && startBoundary.timestampMs !== cutsMs[0]) {
    throw new InvalidInputError(
      "startBoundary.timestampMs",
      `${startBoundary.timestampMs} is not the first cut ${cutsMs[0]}`,
    );
  }
  const track = buildCounterTrack({ readings, config });
  const boundaries: CounterBoundary[] = [];
  // The last cut decides whether we must wait; checking it first avoids work that would be thrown away.
  for (let index = cutsMs.length - 1; index >= 0; index--) {
    if (index === 0 && startBoundary !== undefined) {
      boundaries[0] = startBoundary;
      continue;
    }
    const result = counterBoundaryAt({
      track,
      timestampMs: elementAt(cutsMs, index),
      nowMs,
      graceMs,
    });
    if (result.status === "needs-more-data") return result;
    boundaries[index] = result.boundary;
  }
  const pieces: EnergyPiece[] = [];
  for (let index = 0; index + 1 < boundaries.length; index++) {
    pieces.push(
      energyBetweenBoundaries({
        track,
        start: elementAt(boundaries, index),
        end: elementAt(boundaries, index + 1),
        startPath:
          index === 0 && startBoundary !== undefined ? "startBoundary" : `boundaries[${index}]`,
      }),
    );
  }
  return { status: "complete", pieces, boundaries };
}

function validateCuts(cutsMs: readonly number[]): void {
  if (cutsMs.length < 2) throw new InvalidInputError("cutsMs", "needs at least a start and an end");
  for (let index = 0; index < cutsMs.length; index++) {
    const cut = elementAt(cutsMs, index);
    if (!Number.isSafeInteger(cut) || cut < 0) {
      throw new InvalidInputError(`cutsMs[${index}]`, `not a non-negative integer: ${cut}`);
    }
    if (index > 0 && cut <= elementAt(cutsMs, index - 1)) {
      throw new InvalidInputError(`cutsMs[${index}]`, `${cut} is not after ${cutsMs[index - 1]}`);
    }
  }
}
