import { splitCounterEnergyByHour } from "../../accounting/splitCounterEnergyByHour.ts";
import { sortEnergyFlags } from "../../accounting/sortEnergyFlags.ts";
import type {
  CounterBoundary,
  CounterChannelConfig,
  CounterReading,
  EnergyFlag,
} from "../../accounting/types.ts";
import { InvariantError } from "../../errors/index.ts";
import type { Hex } from "../../merkle/types.ts";

/** One channel's inputs to a container's energy. */
export interface ChannelEnergyInput {
  deviceId: Hex;
  channel: number;
  config: CounterChannelConfig;
  /** The channel's selected readings, sorted by time. */
  readings: readonly CounterReading[];
  /** The previous container's end boundary, when chained. */
  startBoundary?: CounterBoundary | undefined;
}

export interface ChannelEnergy {
  startBoundary: CounterBoundary;
  endBoundary: CounterBoundary;
  energyImportedMilliWattHours: bigint;
  energyExportedMilliWattHours: bigint;
  flags: { imported: EnergyFlag[]; exported: EnergyFlag[] };
}

export interface HourEnergy {
  startMs: number;
  endMs: number;
  energyImportedMilliWattHours: bigint;
  energyExportedMilliWattHours: bigint;
}

export interface ContainerEnergy {
  channels: ChannelEnergy[];
  hours: HourEnergy[];
  energyImportedMilliWattHours: bigint;
  energyExportedMilliWattHours: bigint;
  flags: EnergyFlag[];
}

/**
 * The energy of a container, per channel and per clock hour, the one
 * computation the builder and the verifier share. A container is built once
 * its period is closed, so every boundary is decided from the readings given:
 * no clock takes part (nowMs is "forever", grace 0). A boundary with no
 * reading after it is therefore `held`, as the gateway's own close would have
 * decided after its grace period, and the same readings always give the same
 * figures.
 */
export function computeContainerEnergy(
  periodStartMs: number,
  periodEndMs: number,
  channels: readonly ChannelEnergyInput[],
): ContainerEnergy {
  const results: ChannelEnergy[] = [];
  let hours: HourEnergy[] | undefined;
  let imported = 0n;
  let exported = 0n;
  const containerFlags = new Set<EnergyFlag>();
  for (const channel of channels) {
    const split = splitCounterEnergyByHour({
      readings: channel.readings,
      config: channel.config,
      startMs: periodStartMs,
      endMs: periodEndMs,
      startBoundary: channel.startBoundary,
      nowMs: Number.MAX_SAFE_INTEGER,
      graceMs: 0,
    });
    if (split.status !== "complete") {
      throw new InvariantError(
        "a closed period still waits for data (grace 0, clock at the end of time)",
      );
    }
    const importedFlags = new Set<EnergyFlag>();
    const exportedFlags = new Set<EnergyFlag>();
    for (const piece of split.hours) {
      for (const flag of piece.flags.imported) importedFlags.add(flag);
      for (const flag of piece.flags.exported) exportedFlags.add(flag);
    }
    for (const flag of [...importedFlags, ...exportedFlags]) containerFlags.add(flag);
    results.push({
      startBoundary: split.startBoundary,
      endBoundary: split.endBoundary,
      energyImportedMilliWattHours: split.energyImportedMilliWattHours,
      energyExportedMilliWattHours: split.energyExportedMilliWattHours,
      flags: { imported: sortEnergyFlags(importedFlags), exported: sortEnergyFlags(exportedFlags) },
    });
    imported += split.energyImportedMilliWattHours;
    exported += split.energyExportedMilliWattHours;
    // Every channel is cut at the same instants, so hour k is the same interval for all.
    hours ??= split.hours.map((piece) => ({
      startMs: piece.startMs,
      endMs: piece.endMs,
      energyImportedMilliWattHours: 0n,
      energyExportedMilliWattHours: 0n,
    }));
    split.hours.forEach((piece, index) => {
      const hour = hours?.[index];
      if (hour === undefined) throw new InvariantError("channels were cut into different hours");
      hour.energyImportedMilliWattHours += piece.energyImportedMilliWattHours;
      hour.energyExportedMilliWattHours += piece.energyExportedMilliWattHours;
    });
  }
  if (hours === undefined) throw new InvariantError("a container needs at least one channel");
  return {
    channels: results,
    hours,
    energyImportedMilliWattHours: imported,
    energyExportedMilliWattHours: exported,
    flags: sortEnergyFlags(containerFlags),
  };
}
