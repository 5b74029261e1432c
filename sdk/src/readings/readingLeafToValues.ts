import type { Hex } from "../merkle/types.ts";
import type { ReadingLeaf, ReadingQuality } from "./readingLeaf.ts";

/** A reading leaf as the value tuple of READING_LEAF_TYPES. */
export type ReadingLeafValues = readonly [
  salt: Hex,
  deviceId: Hex,
  channel: number,
  sequence: bigint,
  timestampMs: bigint,
  energyImportedMilliWattHours: bigint,
  energyExportedMilliWattHours: bigint,
  quality: ReadingQuality,
  detailsHash: Hex,
];
export type ReadingLeafToValuesParameters = [leaf: ReadingLeaf];
export type ReadingLeafToValuesReturnType = ReadingLeafValues;

/**
 * The values of a reading leaf in READING_LEAF_TYPES order: what a third party
 * passes to `StandardMerkleTree.of(values, READING_LEAF_TYPES)`.
 *
 * @example
 * ```ts
 * const values = leaves.map(readingLeafToValues);
 * StandardMerkleTree.of(values, READING_LEAF_TYPES).root === buildReadingTree(leaves).root;
 * ```
 */
export function readingLeafToValues(
  ...[leaf]: ReadingLeafToValuesParameters
): ReadingLeafToValuesReturnType {
  return [
    leaf.salt,
    leaf.deviceId,
    leaf.channel,
    leaf.sequence,
    leaf.timestampMs,
    leaf.energyImportedMilliWattHours,
    leaf.energyExportedMilliWattHours,
    leaf.quality,
    leaf.detailsHash,
  ];
}
