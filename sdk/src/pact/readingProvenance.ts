import type { FootprintDocument } from "../footprints/footprintDocumentSchema.ts";

export interface ReadingProvenance {
  /** Imported energy between consecutive readings of a channel whose two ends are both `measured`. */
  measuredMilliWattHours: bigint;
  /** Imported energy between all consecutive readings used. */
  totalMilliWattHours: bigint;
  readings: number;
  measuredReadings: number;
}

/**
 * How much of the energy behind a footprint was measured rather than
 * estimated or imported from another system: per channel, readings in
 * sequence order, each interval's imported energy counts as measured only if
 * both readings bounding it are `measured`. A counter that goes backwards
 * (reset or rollover) contributes nothing to either sum: the allocation
 * flags those intervals itself.
 */
export function readingProvenance(document: FootprintDocument): ReadingProvenance {
  const byChannel = new Map<string, FootprintDocument["readings"][number]["reading"][]>();
  for (const { reading } of document.readings) {
    const key = `${reading.deviceId}/${reading.channel}`;
    const list = byChannel.get(key) ?? [];
    list.push(reading);
    byChannel.set(key, list);
  }
  let measured = 0n;
  let total = 0n;
  for (const list of byChannel.values()) {
    list.sort((a, b) => {
      const d = BigInt(a.sequence) - BigInt(b.sequence);
      return d < 0n ? -1 : d > 0n ? 1 : a.timestampMs - b.timestampMs;
    });
    for (const [i, after] of list.entries()) {
      const before = list[i - 1];
      if (before === undefined) continue;
      const delta =
        BigInt(after.energyImportedMilliWattHours) - BigInt(before.energyImportedMilliWattHours);
      if (delta <= 0n) continue;
      total += delta;
      if (before.quality === "measured" && after.quality === "measured") measured += delta;
    }
  }
  return {
    measuredMilliWattHours: measured,
    totalMilliWattHours: total,
    readings: document.readings.length,
    measuredReadings: document.readings.filter((r) => r.reading.quality === "measured").length,
  };
}
