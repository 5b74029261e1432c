/**
 * The Merkle leaf of one meter reading. Its ABI types and their order are a
 * published format (docs/formats.md): a third party rebuilds a container's root
 * with `StandardMerkleTree.of(values, READING_LEAF_TYPES)` and gets ours.
 *
 * - salt: HMAC-derived per reading (deriveReadingSalt), so a published root
 *   reveals nothing about readings that are withheld.
 * - detailsHash: keccak256 of the JCS bytes of the reading's optional fields
 *   (power, voltage, current, power factor, authentication), or zero when it has
 *   none, so those fields are committed to without widening the leaf.
 */
export const READING_LEAF_TYPES = [
  "bytes32", // salt
  "bytes32", // deviceId
  "uint32", // channel
  "uint64", // sequence
  "uint64", // timestampMs (Unix milliseconds)
  "uint64", // energyImportedMilliWattHours (cumulative counter)
  "uint64", // energyExportedMilliWattHours (cumulative counter)
  "uint8", // quality (ReadingQuality)
  "bytes32", // detailsHash
] as const;

/** How a figure was obtained. Stored in leaves as uint8. */
export const ReadingQuality = {
  measured: 0,
  estimated: 1,
  imported: 2,
} as const;
export type ReadingQuality = (typeof ReadingQuality)[keyof typeof ReadingQuality];

/** The values of one reading leaf, in READING_LEAF_TYPES order. */
export interface ReadingLeaf {
  salt: `0x${string}`;
  deviceId: `0x${string}`;
  channel: number;
  sequence: bigint;
  timestampMs: bigint;
  energyImportedMilliWattHours: bigint;
  energyExportedMilliWattHours: bigint;
  quality: ReadingQuality;
  detailsHash: `0x${string}`;
}
