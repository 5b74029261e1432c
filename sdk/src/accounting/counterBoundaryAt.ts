import { InvalidInputError } from "../errors/index.ts";
import type { CounterTrack } from "./buildCounterTrack.ts";
import type { CounterBoundary, CounterReading, NeedsMoreData } from "./types.ts";
import { elementAt } from "./elementAt.ts";

export interface CounterBoundaryAtParameters {
  track: CounterTrack;
  timestampMs: number;
  /** The caller's clock: decides whether a missing next reading is still awaited. */
  nowMs: number;
  /** How long after a boundary a late reading is still awaited. */
  graceMs: number;
}
export type CounterBoundaryAtReturnType =
  { status: "complete"; boundary: CounterBoundary } | NeedsMoreData;
export type CounterBoundaryAtErrorType = InvalidInputError;

/**
 * The counter at one instant, as an offset from the last reading at or before
 * it. Between readings k and k + 1 the offset is
 *
 *     ⌊ Δk · (t − tk) / (tk+1 − tk) ⌋          (Δk the unwrapped delta of the pair)
 *
 * floor of the exact rational, in bigint. Any two periods sharing the instant t
 * compute the same value from the same pair, so C(end) − C(start) telescopes and
 * consecutive periods sum exactly to the meter. The floor is monotone in t, so a
 * later instant never has a smaller counter.
 *
 * With no reading at or after t: before `t + graceMs` the answer is
 * `needs-more-data`; from then on the counter is held at its last reading
 * (offset 0, method `held`), a lower bound whose remainder falls into the next
 * period. Before the first reading the boundary is anchored at the first
 * reading (method `first-reading`): energy before it is not metered.
 *
 * @throws {InvalidInputError} when timestampMs is not a non-negative safe integer.
 * @example
 * ```ts
 * // Readings 0 mWh at t = 0 and 1_000 mWh at t = 3_000: at t = 1_000 the offset is ⌊1000·1000/3000⌋ = 333.
 * counterBoundaryAt({ track, timestampMs: 1_000, nowMs: Date.now(), graceMs: 300_000 });
 * ```
 */
export function counterBoundaryAt({
  track,
  timestampMs,
  nowMs,
  graceMs,
}: CounterBoundaryAtParameters): CounterBoundaryAtReturnType {
  if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) {
    throw new InvalidInputError("timestampMs", `not a non-negative integer: ${timestampMs}`);
  }
  const { readings, pairs } = track;
  const first = readings[0];
  if (first === undefined) {
    if (nowMs < timestampMs + graceMs) {
      return {
        status: "needs-more-data",
        boundaryMs: timestampMs,
        graceDeadlineMs: timestampMs + graceMs,
      };
    }
    return { status: "complete", boundary: zeroOffset(timestampMs, null, "no-readings") };
  }
  if (timestampMs < first.timestampMs) {
    return { status: "complete", boundary: zeroOffset(timestampMs, first, "first-reading") };
  }
  const index = lastReadingAtOrBefore(readings, timestampMs);
  const anchor = elementAt(readings, index);
  if (anchor.timestampMs === timestampMs) {
    return { status: "complete", boundary: zeroOffset(timestampMs, anchor, "reading") };
  }
  const pair = pairs[index];
  if (pair === undefined) {
    // The anchor is the last reading and the instant lies after it.
    if (nowMs < timestampMs + graceMs) {
      return {
        status: "needs-more-data",
        boundaryMs: timestampMs,
        graceDeadlineMs: timestampMs + graceMs,
      };
    }
    return { status: "complete", boundary: zeroOffset(timestampMs, anchor, "held") };
  }
  const sinceAnchorMs = BigInt(timestampMs - anchor.timestampMs);
  const pairMs = BigInt(pair.elapsedMs);
  return {
    status: "complete",
    boundary: {
      timestampMs,
      anchor: { sequence: anchor.sequence, timestampMs: anchor.timestampMs },
      // Non-negative operands: bigint division truncates, which is the floor here.
      importedSinceAnchorMilliWattHours:
        (pair.importedDeltaMilliWattHours * sinceAnchorMs) / pairMs,
      exportedSinceAnchorMilliWattHours:
        (pair.exportedDeltaMilliWattHours * sinceAnchorMs) / pairMs,
      method: "interpolated",
    },
  };
}

function zeroOffset(
  timestampMs: number,
  anchor: CounterReading | null,
  method: CounterBoundary["method"],
): CounterBoundary {
  return {
    timestampMs,
    anchor: anchor === null ? null : { sequence: anchor.sequence, timestampMs: anchor.timestampMs },
    importedSinceAnchorMilliWattHours: 0n,
    exportedSinceAnchorMilliWattHours: 0n,
    method,
  };
}

/** Index of the last reading with timestampMs ≤ t; the caller ensured readings[0] ≤ t. */
function lastReadingAtOrBefore(readings: readonly CounterReading[], timestampMs: number): number {
  let low = 0;
  let high = readings.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (elementAt(readings, middle).timestampMs <= timestampMs) low = middle;
    else high = middle - 1;
  }
  return low;
}
