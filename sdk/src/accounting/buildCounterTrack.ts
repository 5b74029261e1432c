import { InvalidInputError } from "../errors/index.ts";
import { counterPairDelta } from "./counterPairDelta.ts";
import { parseCounterChannelConfig } from "./parseCounterChannelConfig.ts";
import { parseCounterReadings } from "./parseCounterReadings.ts";
import type { CounterChannelConfig, CounterReading } from "./types.ts";
import { elementAt } from "./elementAt.ts";

/** What happened between reading k and reading k + 1. */
export interface CounterPair {
  elapsedMs: number;
  importedDeltaMilliWattHours: bigint;
  exportedDeltaMilliWattHours: bigint;
  importedKind: "normal" | "rollover" | "reset";
  exportedKind: "normal" | "rollover" | "reset";
  /** Longer than the declared maximum gap. */
  gap: boolean;
}

/**
 * A validated series with the counters unwrapped: `cumulative*[k]` is the
 * energy from reading 0 to reading k after rollovers and resets, so the energy
 * between any two readings is a plain difference.
 */
export interface CounterTrack {
  readings: CounterReading[];
  config: CounterChannelConfig;
  pairs: CounterPair[];
  cumulativeImportedMilliWattHours: bigint[];
  cumulativeExportedMilliWattHours: bigint[];
}

export interface BuildCounterTrackParameters {
  readings: unknown;
  config: unknown;
}
export type BuildCounterTrackReturnType = CounterTrack;
export type BuildCounterTrackErrorType = InvalidInputError;

/**
 * Validates a channel's readings and configuration and unwraps its counters
 * pair by pair (see counterPairDelta). Each pair's delta depends only on the
 * two readings, so any two callers that see the same readings agree on the
 * energy between them, whatever slice of the series each was given.
 *
 * @throws {InvalidInputError} for bad readings or config, a value at or above
 *   the modulus, or a counter that goes backwards.
 * @example
 * ```ts
 * const track = buildCounterTrack({ readings, config: { resetThresholdMilliWattHours: 0n, maxGapMs: 900_000 } });
 * track.cumulativeImportedMilliWattHours.at(-1); // energy from the first to the last reading
 * ```
 */
export function buildCounterTrack({
  readings: readingsInput,
  config: configInput,
}: BuildCounterTrackParameters): BuildCounterTrackReturnType {
  const config = parseCounterChannelConfig(configInput);
  const readings = parseCounterReadings(readingsInput);
  const pairs: CounterPair[] = [];
  const cumulativeImported: bigint[] = [];
  const cumulativeExported: bigint[] = [];
  let imported = 0n;
  let exported = 0n;
  const modulus = config.counterModulusMilliWattHours;
  for (let index = 0; index < readings.length; index++) {
    const current = elementAt(readings, index);
    if (index === 0) {
      // Later readings are checked against the modulus in counterPairDelta; the first has no pair.
      for (const field of [
        "energyImportedMilliWattHours",
        "energyExportedMilliWattHours",
      ] as const) {
        if (modulus !== undefined && current[field] >= modulus) {
          throw new InvalidInputError(
            `readings[0].${field}`,
            `counter ${current[field]} is not below the declared modulus ${modulus}`,
          );
        }
      }
    } else {
      const previous = elementAt(readings, index - 1);
      const elapsedMs = current.timestampMs - previous.timestampMs;
      const importedDelta = counterPairDelta({
        previousMilliWattHours: previous.energyImportedMilliWattHours,
        currentMilliWattHours: current.energyImportedMilliWattHours,
        elapsedMs,
        config,
        path: `readings[${index}].energyImportedMilliWattHours`,
      });
      const exportedDelta = counterPairDelta({
        previousMilliWattHours: previous.energyExportedMilliWattHours,
        currentMilliWattHours: current.energyExportedMilliWattHours,
        elapsedMs,
        config,
        path: `readings[${index}].energyExportedMilliWattHours`,
      });
      pairs.push({
        elapsedMs,
        importedDeltaMilliWattHours: importedDelta.deltaMilliWattHours,
        exportedDeltaMilliWattHours: exportedDelta.deltaMilliWattHours,
        importedKind: importedDelta.kind,
        exportedKind: exportedDelta.kind,
        gap: elapsedMs > config.maxGapMs,
      });
      imported += importedDelta.deltaMilliWattHours;
      exported += exportedDelta.deltaMilliWattHours;
    }
    cumulativeImported.push(imported);
    cumulativeExported.push(exported);
  }
  return {
    readings,
    config,
    pairs,
    cumulativeImportedMilliWattHours: cumulativeImported,
    cumulativeExportedMilliWattHours: cumulativeExported,
  };
}
