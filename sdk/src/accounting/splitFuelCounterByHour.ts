import { splitCounterEnergyByHour } from "./splitCounterEnergyByHour.ts";
import type { CounterChannelConfig, EnergyFlag, NeedsMoreData } from "./types.ts";

export interface FuelCounterReading {
  sequence: bigint;
  timestampMs: number;
  /** Cumulative volume, litres (a DSMR gas register, pulses × litres per pulse). */
  volumeLitres: bigint;
  quality: "measured" | "estimated" | "imported";
}

export type SplitFuelCounterByHourReturnType =
  | {
      status: "complete";
      hours: { startMs: number; endMs: number; volumeLitres: bigint; flags: EnergyFlag[] }[];
      volumeLitres: bigint;
    }
  | NeedsMoreData;

/**
 * A fuel meter's cumulative volume cut into clock hours, with exactly the
 * counter accounting electricity uses (rollover, reset, interpolation, gaps,
 * held boundaries, the same flags): the counter math does not depend on the
 * unit, so litres run through splitCounterEnergyByHour unchanged and are read
 * back as litres. The hours telescope to the period's volume; jobs get their
 * share with cutCounterEnergy's cuts the same way.
 *
 * @throws {InvalidInputError} for bad readings or config, as splitCounterEnergyByHour.
 */
export function splitFuelCounterByHour(parameters: {
  readings: readonly FuelCounterReading[];
  /** Declared in litres where the electricity config says mWh (modulus, reset threshold). */
  config: CounterChannelConfig;
  startMs: number;
  endMs: number;
  nowMs: number;
  graceMs: number;
}): SplitFuelCounterByHourReturnType {
  const split = splitCounterEnergyByHour({
    readings: parameters.readings.map((reading) => ({
      sequence: reading.sequence,
      timestampMs: reading.timestampMs,
      energyImportedMilliWattHours: reading.volumeLitres,
      energyExportedMilliWattHours: 0n,
      quality: reading.quality,
    })),
    config: parameters.config,
    startMs: parameters.startMs,
    endMs: parameters.endMs,
    nowMs: parameters.nowMs,
    graceMs: parameters.graceMs,
  });
  if (split.status === "needs-more-data") return split;
  return {
    status: "complete",
    hours: split.hours.map((hour) => ({
      startMs: hour.startMs,
      endMs: hour.endMs,
      volumeLitres: hour.energyImportedMilliWattHours,
      flags: hour.flags.imported,
    })),
    volumeLitres: split.energyImportedMilliWattHours,
  };
}
