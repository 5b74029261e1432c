import { InvalidInputError } from "../../errors/index.ts";
import { writeFixedBytesWord, writeIntegerWord } from "../../merkle/internal/abiValues.ts";
import { describe } from "../../merkle/internal/hex.ts";
import { prefixPath } from "../../merkle/internal/prefixPath.ts";
import { ReadingQuality } from "../readingLeaf.ts";

const BYTES32 = { kind: "bytes", size: 32, name: "bytes32" } as const;
const UINT32 = { kind: "uint", bits: 32, name: "uint32" } as const;
const UINT64 = { kind: "uint", bits: 64, name: "uint64" } as const;
const UINT8 = { kind: "uint", bits: 8, name: "uint8" } as const;
const QUALITIES: ReadonlySet<unknown> = new Set(Object.values(ReadingQuality));

/** abi.encode of a reading leaf: 9 words, READING_LEAF_TYPES order. */
export const READING_LEAF_BYTES = 9 * 32;

/**
 * Writes `abi.encode(readingLeafToValues(leaf))` at `out[offset]` straight from
 * the object's fields (no value tuple in between). Errors name the field, e.g.
 * `leaves[3].sequence` (prefix "leaves", index 3; index -1 for no index).
 */
export function packReadingLeaf(
  leaf: unknown,
  prefix: string,
  index: number,
  out: Uint8Array,
  offset: number,
): void {
  if (typeof leaf !== "object" || leaf === null) {
    throw new InvalidInputError(
      rowPath(prefix, index),
      `expected a reading leaf object, got ${describe(leaf)}`,
    );
  }
  const r = leaf as Record<string, unknown>;
  try {
    writeFields(r, out, offset);
  } catch (error) {
    throw prefixPath(error, rowPath(prefix, index));
  }
}

function rowPath(prefix: string, index: number): string {
  return index < 0 ? prefix : `${prefix}[${index}]`;
}

function writeFields(r: Record<string, unknown>, out: Uint8Array, offset: number): void {
  writeFixedBytesWord(r.salt, BYTES32, out, offset, ".salt");
  writeFixedBytesWord(r.deviceId, BYTES32, out, offset + 32, ".deviceId");
  writeIntegerWord(r.channel, UINT32, out, offset + 64, ".channel");
  writeIntegerWord(r.sequence, UINT64, out, offset + 96, ".sequence");
  writeIntegerWord(r.timestampMs, UINT64, out, offset + 128, ".timestampMs");
  writeIntegerWord(
    r.energyImportedMilliWattHours,
    UINT64,
    out,
    offset + 160,
    ".energyImportedMilliWattHours",
  );
  writeIntegerWord(
    r.energyExportedMilliWattHours,
    UINT64,
    out,
    offset + 192,
    ".energyExportedMilliWattHours",
  );
  if (!QUALITIES.has(r.quality)) {
    throw new InvalidInputError(
      ".quality",
      `${describe(r.quality)} is not a ReadingQuality (0 measured, 1 estimated, 2 imported)`,
    );
  }
  writeIntegerWord(r.quality, UINT8, out, offset + 224, ".quality");
  writeFixedBytesWord(r.detailsHash, BYTES32, out, offset + 256, ".detailsHash");
}
