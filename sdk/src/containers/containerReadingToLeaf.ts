import type { ReadingLeaf } from "../readings/readingLeaf.ts";
import { ReadingQuality } from "../readings/readingLeaf.ts";
import type { ContainerReadingEntry } from "./containerDocumentSchema.ts";
import { readingDetailsHash } from "./readingDetailsHash.ts";

/**
 * The Merkle leaf of a container document's reading: its fields as the
 * READING_LEAF_TYPES tuple wants them, the quality as its uint8 and the
 * details folded into `detailsHash`.
 *
 * @example
 * ```ts
 * const leaves = document.readings.map(containerReadingToLeaf);
 * buildReadingTree(leaves).root === document.merkleRoot;
 * ```
 */
export function containerReadingToLeaf(reading: ContainerReadingEntry): ReadingLeaf {
  return {
    salt: reading.salt,
    deviceId: reading.deviceId,
    channel: reading.channel,
    sequence: BigInt(reading.sequence),
    timestampMs: BigInt(reading.timestampMs),
    energyImportedMilliWattHours: BigInt(reading.energyImportedMilliWattHours),
    energyExportedMilliWattHours: BigInt(reading.energyExportedMilliWattHours),
    quality: ReadingQuality[reading.quality],
    detailsHash: readingDetailsHash(reading.details),
  };
}
