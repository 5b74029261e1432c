import { InvalidInputError } from "../errors/index.ts";
import type { CounterTrack } from "./buildCounterTrack.ts";
import { sortEnergyFlags } from "./sortEnergyFlags.ts";
import type { CounterBoundary, EnergyFlag, EnergyPiece } from "./types.ts";
import { elementAt } from "./elementAt.ts";

export interface EnergyBetweenBoundariesParameters {
  track: CounterTrack;
  start: CounterBoundary;
  end: CounterBoundary;
  /** Names the start boundary in errors, e.g. `startBoundary`. */
  startPath?: string | undefined;
}
export type EnergyBetweenBoundariesReturnType = EnergyPiece;
export type EnergyBetweenBoundariesErrorType = InvalidInputError;

/**
 * Energy between two counter boundaries of the same track:
 *
 *     E = (U[j] + offset_end) − (U[i] + offset_start)
 *
 * with U the unwrapped cumulative counter at the anchors i and j. Flags name
 * every way the figure was obtained (reading qualities, interpolation, gaps,
 * rollovers, resets, held or missing data), per counter.
 *
 * A start boundary whose anchor is null (carried from a period that had no
 * readings) counts from the first reading, so nothing metered is ever dropped.
 *
 * @throws {InvalidInputError} when a boundary's anchor is not among the track's
 *   readings, or the start lies above the end (readings changed after the
 *   start boundary was computed: the earlier period needs a revision).
 * @example
 * ```ts
 * const piece = energyBetweenBoundaries({ track, start, end });
 * piece.energyImportedMilliWattHours; // bigint
 * ```
 */
export function energyBetweenBoundaries({
  track,
  start,
  end,
  startPath = "start",
}: EnergyBetweenBoundariesParameters): EnergyBetweenBoundariesReturnType {
  if (end.timestampMs <= start.timestampMs) {
    throw new InvalidInputError(
      "end.timestampMs",
      `${end.timestampMs} is not after the start ${start.timestampMs}`,
    );
  }
  const { readings, pairs } = track;
  const common = new Set<EnergyFlag>();
  if (readings.length === 0) {
    common.add("no-readings");
    const flags = sortEnergyFlags(common);
    return piece(start, end, 0n, 0n, flags, flags);
  }
  const startIndex = start.anchor === null ? 0 : anchorIndex(track, start, `${startPath}.anchor`);
  const endIndex = end.anchor === null ? 0 : anchorIndex(track, end, "end.anchor");
  const startOffsetImported = start.anchor === null ? 0n : start.importedSinceAnchorMilliWattHours;
  const startOffsetExported = start.anchor === null ? 0n : start.exportedSinceAnchorMilliWattHours;

  const imported =
    elementAt(track.cumulativeImportedMilliWattHours, endIndex) +
    end.importedSinceAnchorMilliWattHours -
    elementAt(track.cumulativeImportedMilliWattHours, startIndex) -
    startOffsetImported;
  const exported =
    elementAt(track.cumulativeExportedMilliWattHours, endIndex) +
    end.exportedSinceAnchorMilliWattHours -
    elementAt(track.cumulativeExportedMilliWattHours, startIndex) -
    startOffsetExported;
  if (imported < 0n || exported < 0n) {
    throw new InvalidInputError(startPath, "lies above the counter at the end of the period", {
      details:
        "The readings between the two boundaries changed after the start boundary was computed (a late reading was inserted).",
      hints: [
        "Revise the earlier period with the new readings, then recompute this one from its new end boundary.",
      ],
    });
  }

  // Pairs whose energy contributes: those between the anchors, and the pair the end interpolates in.
  const lastPair = end.method === "interpolated" ? endIndex : endIndex - 1;
  const importedFlags = new Set<EnergyFlag>();
  const exportedFlags = new Set<EnergyFlag>();
  for (let k = startIndex; k <= lastPair; k++) {
    const pair = pairs[k];
    if (pair === undefined) continue;
    for (const reading of [readings[k], readings[k + 1]]) {
      if (reading !== undefined) common.add(reading.quality);
    }
    if (pair.gap) common.add("gap-bridged");
    if (pair.importedKind !== "normal") importedFlags.add(pair.importedKind);
    if (pair.exportedKind !== "normal") exportedFlags.add(pair.exportedKind);
  }
  for (const boundary of [start, end]) {
    if (boundary.method === "interpolated") common.add("interpolated");
    if (boundary.method === "held") {
      common.add("held");
      common.add("estimated");
    }
  }
  const firstReading = readings[startIndex];
  if (
    start.anchor === null ||
    (start.method === "first-reading" &&
      firstReading !== undefined &&
      firstReading.timestampMs > start.timestampMs)
  ) {
    common.add("starts-at-first-reading");
  }
  return piece(
    start,
    end,
    imported,
    exported,
    sortEnergyFlags(new Set([...common, ...importedFlags])),
    sortEnergyFlags(new Set([...common, ...exportedFlags])),
  );
}

function piece(
  start: CounterBoundary,
  end: CounterBoundary,
  imported: bigint,
  exported: bigint,
  importedFlags: EnergyFlag[],
  exportedFlags: EnergyFlag[],
): EnergyPiece {
  return {
    startMs: start.timestampMs,
    endMs: end.timestampMs,
    energyImportedMilliWattHours: imported,
    energyExportedMilliWattHours: exported,
    flags: { imported: importedFlags, exported: exportedFlags },
  };
}

function anchorIndex(track: CounterTrack, boundary: CounterBoundary, path: string): number {
  const anchor = boundary.anchor;
  if (anchor === null) return 0;
  const { readings } = track;
  let low = 0;
  let high = readings.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const reading = readings[middle];
    if (reading === undefined) break;
    if (reading.timestampMs === anchor.timestampMs) {
      if (reading.sequence !== anchor.sequence) break;
      if (anchor.timestampMs > boundary.timestampMs && boundary.method !== "first-reading") break;
      return middle;
    }
    if (reading.timestampMs < anchor.timestampMs) low = middle + 1;
    else high = middle - 1;
  }
  throw new InvalidInputError(
    path,
    `reading (sequence ${anchor.sequence}, timestampMs ${anchor.timestampMs}) is not among the readings`,
    { hints: ["Pass the readings from the boundary's anchor reading onwards."] },
  );
}
