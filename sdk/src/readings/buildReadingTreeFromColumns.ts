/* eslint-disable @typescript-eslint/no-non-null-assertion -- packing hot loop: every typed-array index is bounded by the column lengths checked up front. */
import { InvalidInputError } from "../errors/index.ts";
import { MerkleTree } from "../merkle/MerkleTree.ts";
import { getHashEngine } from "../merkle/internal/getHashEngine.ts";
import { bytesToHexAt, describe } from "../merkle/internal/hex.ts";
import { READING_LEAF_BYTES } from "./internal/packReadingLeaf.ts";
import { READING_LEAF_TYPES, type ReadingQuality } from "./readingLeaf.ts";
import type { ReadingLeafValues } from "./readingLeafToValues.ts";

/**
 * Reading leaves as columns: leaf i is row i of every column (bytes32 columns
 * hold 32 bytes per leaf). The same fields as ReadingLeaf, without an object,
 * hex string or bigint per reading.
 */
export interface ReadingLeafColumns {
  salts: Uint8Array;
  deviceIds: Uint8Array;
  channels: Uint32Array;
  sequences: BigUint64Array;
  timestampsMs: BigUint64Array;
  energyImportedMilliWattHours: BigUint64Array;
  energyExportedMilliWattHours: BigUint64Array;
  qualities: Uint8Array;
  detailsHashes: Uint8Array;
}

export type BuildReadingTreeFromColumnsParameters = [columns: ReadingLeafColumns];
export type BuildReadingTreeFromColumnsReturnType = MerkleTree<ReadingLeafValues>;
export type BuildReadingTreeFromColumnsErrorType = InvalidInputError;

const BYTES32_COLUMNS = ["salts", "deviceIds", "detailsHashes"] as const;
const U64_COLUMNS = [
  "sequences",
  "timestampsMs",
  "energyImportedMilliWattHours",
  "energyExportedMilliWattHours",
] as const;
const MAX_QUALITY = 2; // ReadingQuality.imported

/**
 * `buildReadingTree` for leaves held in columns: the same tree (root, nodes,
 * proofs, value order) as over the equivalent ReadingLeaf objects, built
 * without materialising one object per reading, so a million-reading
 * container costs its columns plus the tree. Values are read back from the
 * columns lazily (getValue, getMultiProof, dump): do not modify them afterwards.
 *
 * @example
 * ```ts
 * const tree = buildReadingTreeFromColumns({
 *   salts, deviceIds, detailsHashes, // 32 bytes per reading
 *   channels: new Uint32Array([0, 1]),
 *   sequences: new BigUint64Array([7n, 7n]),
 *   timestampsMs, energyImportedMilliWattHours, energyExportedMilliWattHours, // BigUint64Array
 *   qualities: new Uint8Array([0, 0]),
 * });
 * tree.root; // === buildReadingTree(sameLeavesAsObjects).root
 * ```
 */
export function buildReadingTreeFromColumns(
  ...[columns]: BuildReadingTreeFromColumnsParameters
): BuildReadingTreeFromColumnsReturnType {
  const count = checkColumns(columns);
  const { salts, deviceIds, channels, qualities, detailsHashes } = columns;
  const u64 = U64_COLUMNS.map(
    (name) => new DataView(columns[name].buffer, columns[name].byteOffset, 8 * count),
  );
  const [sequences, timestamps, imported, exported] = u64 as [
    DataView,
    DataView,
    DataView,
    DataView,
  ];
  const build = getHashEngine().startTree(count, READING_LEAF_BYTES);
  const { batch, batchLeaves } = build;
  const out = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
  for (let start = 0; start < count; start += batchLeaves) {
    const end = Math.min(count, start + batchLeaves);
    let o = 0;
    for (let i = start; i < end; i++, o += READING_LEAF_BYTES) {
      const quality = qualities[i]!;
      if (quality > MAX_QUALITY) {
        throw new InvalidInputError(
          `columns.qualities[${i}]`,
          `${quality} is not a ReadingQuality (0 measured, 1 estimated, 2 imported)`,
        );
      }
      // Only the bytes that vary are written: the batch starts zeroed, so each
      // word's ABI zero padding is already in place.
      batch.set(salts.subarray(32 * i, 32 * i + 32), o);
      batch.set(deviceIds.subarray(32 * i, 32 * i + 32), o + 32);
      out.setUint32(o + 92, channels[i]!);
      const p = 8 * i;
      out.setUint32(o + 120, sequences.getUint32(p + 4, true));
      out.setUint32(o + 124, sequences.getUint32(p, true));
      out.setUint32(o + 152, timestamps.getUint32(p + 4, true));
      out.setUint32(o + 156, timestamps.getUint32(p, true));
      out.setUint32(o + 184, imported.getUint32(p + 4, true));
      out.setUint32(o + 188, imported.getUint32(p, true));
      out.setUint32(o + 216, exported.getUint32(p + 4, true));
      out.setUint32(o + 220, exported.getUint32(p, true));
      batch[o + 255] = quality;
      batch.set(detailsHashes.subarray(32 * i, 32 * i + 32), o + 256);
    }
    build.hashBatch(start, end - start);
  }
  const { nodes, treeIndexOfValue } = build.finish();
  return new MerkleTree(READING_LEAF_TYPES, nodes, treeIndexOfValue, (i) => [
    bytesToHexAt(salts, 32 * i, 32),
    bytesToHexAt(deviceIds, 32 * i, 32),
    channels[i]!,
    columns.sequences[i]!,
    columns.timestampsMs[i]!,
    columns.energyImportedMilliWattHours[i]!,
    columns.energyExportedMilliWattHours[i]!,
    qualities[i]! as ReadingQuality,
    bytesToHexAt(detailsHashes, 32 * i, 32),
  ]);
}

/** The leaf count, after checking every column's type and length against it. */
function checkColumns(columns: unknown): number {
  if (typeof columns !== "object" || columns === null) {
    throw new InvalidInputError(
      "columns",
      `expected reading leaf columns, got ${describe(columns)}`,
    );
  }
  const c = columns as Record<string, unknown>;
  const column = <T>(name: string, type: new (length: number) => T): T => {
    const value = c[name];
    if (!(value instanceof type)) {
      throw new InvalidInputError(
        `columns.${name}`,
        `expected a ${type.name}, got ${describe(value)}`,
      );
    }
    return value;
  };
  const channels = column("channels", Uint32Array);
  const count = channels.length;
  if (count === 0) throw new InvalidInputError("columns", "expected at least one reading leaf");
  const expectLength = (name: string, length: number, perLeaf: number): void => {
    if (length !== perLeaf * count) {
      throw new InvalidInputError(
        `columns.${name}`,
        `expected ${perLeaf * count} entries (${perLeaf} per leaf, ${count} leaves from channels), got ${length}`,
      );
    }
  };
  for (const name of BYTES32_COLUMNS) expectLength(name, column(name, Uint8Array).length, 32);
  for (const name of U64_COLUMNS) expectLength(name, column(name, BigUint64Array).length, 1);
  expectLength("qualities", column("qualities", Uint8Array).length, 1);
  return count;
}
