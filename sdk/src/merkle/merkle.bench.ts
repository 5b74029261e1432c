/**
 * `npm run bench -- merkle`: salted reading leaves at 10k / 100k / 1M, our
 * buildReadingTreeFromColumns (and buildReadingTree over objects up to 100k) against `StandardMerkleTree.of` on the same leaves, each
 * size in its own process so its peak RSS is its own. Plus the keccak
 * candidates considered for the hash engine, on 64-byte inputs (a node hash).
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { createKeccak } from "hash-wasm";
import { metric, type BenchContext, type BenchMetric } from "../../../scripts/bench/types.ts";
import { buildReadingTree } from "../readings/buildReadingTree.ts";
import {
  buildReadingTreeFromColumns,
  type ReadingLeafColumns,
} from "../readings/buildReadingTreeFromColumns.ts";
import { createReadingSaltDeriver } from "../readings/createReadingSaltDeriver.ts";
import { READING_LEAF_TYPES, type ReadingLeaf } from "../readings/readingLeaf.ts";
import { readingLeafToValues } from "../readings/readingLeafToValues.ts";
import { getHashEngine } from "./internal/getHashEngine.ts";
import { decodeHexInto } from "./internal/hex.ts";
import { defined } from "./internal/defined.ts";
import { jsHashEngine, type HashEngine } from "./internal/hashEngine.ts";
import { keccak256Into } from "./keccak256Into.ts";
import type { Hex } from "./types.ts";

const SIZES = [10_000, 100_000, 1_000_000] as const;
/**
 * OZ hashes a few thousand leaves a second (ABI encoding dominates): 100k takes
 * minutes, 1M most of an hour. Larger sizes are compared with its 10k figure;
 * the baseline name says so.
 */
const MAX_BASELINE_SIZE = 10_000;
/** The object API is measured up to here; at 1M the input objects alone take ~1 GB. */
const MAX_OBJECT_API_SIZE = 100_000;

const SITE_SECRET = new Uint8Array(32).fill(0x5a);
const START_MS = 1_767_225_600_000n;
const deviceIdOf = (d: number): Hex => `0x${(d + 1).toString(16).padStart(64, "0")}`;

/** Deterministic salted readings: 64 devices × 4 channels, one reading a minute. */
export function makeReadingLeaves(count: number): ReadingLeaf[] {
  const salt = createReadingSaltDeriver(SITE_SECRET);
  const devices = Array.from({ length: 64 }, (_, d) => deviceIdOf(d));
  const leaves = new Array<ReadingLeaf>(count);
  for (let i = 0; i < count; i++) {
    const deviceId = defined(devices[i % 64]);
    const channel = (i >> 6) % 4;
    const sequence = BigInt(i >> 8);
    leaves[i] = {
      salt: salt(deviceId, channel, sequence),
      deviceId,
      channel,
      sequence,
      timestampMs: START_MS + sequence * 60_000n,
      energyImportedMilliWattHours: sequence * 1_234_567n,
      energyExportedMilliWattHours: 0n,
      quality: 0,
      detailsHash: `0x${"00".repeat(32)}`,
    };
  }
  return leaves;
}

/**
 * The same readings as makeReadingLeaves, as columns (what a gateway holds):
 * salts are derived once per reading with the site deriver and stored as
 * bytes, so no object or hex string per reading outlives this call.
 */
export function makeReadingColumns(count: number): ReadingLeafColumns {
  const salt = createReadingSaltDeriver(SITE_SECRET);
  const columns: ReadingLeafColumns = {
    salts: new Uint8Array(32 * count),
    deviceIds: new Uint8Array(32 * count),
    channels: new Uint32Array(count),
    sequences: new BigUint64Array(count),
    timestampsMs: new BigUint64Array(count),
    energyImportedMilliWattHours: new BigUint64Array(count),
    energyExportedMilliWattHours: new BigUint64Array(count),
    qualities: new Uint8Array(count),
    detailsHashes: new Uint8Array(32 * count),
  };
  for (let i = 0; i < count; i++) {
    const deviceId = deviceIdOf(i % 64);
    const channel = (i >> 6) % 4;
    const sequence = BigInt(i >> 8);
    decodeHexInto(salt(deviceId, channel, sequence), 32, columns.salts, 32 * i);
    decodeHexInto(deviceId, 32, columns.deviceIds, 32 * i);
    columns.channels[i] = channel;
    columns.sequences[i] = sequence;
    columns.timestampsMs[i] = START_MS + sequence * 60_000n;
    columns.energyImportedMilliWattHours[i] = sequence * 1_234_567n;
  }
  return columns;
}

interface SizeRun {
  size: number;
  seconds: number;
  leavesPerSecond: number;
  root: Hex;
  engine: string;
}

/**
 * Child task: best of `repeats` timed buildReadingTreeFromColumns runs (leaf
 * packing and hashing + tree build; the input columns are made before timing).
 */
export function runOurs({ size, repeats }: { size: number; repeats: number }): SizeRun {
  const columns = makeReadingColumns(size);
  buildReadingTreeFromColumns(makeReadingColumns(2_000)); // warm up the JIT
  let best = Infinity;
  let root = "0x" as Hex;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    root = buildReadingTreeFromColumns(columns).root;
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return { size, seconds: best, leavesPerSecond: size / best, root, engine: getHashEngine().name };
}

/** Child task: the same, through the object API (buildReadingTree over ReadingLeaf objects). */
export function runOursObjects({ size, repeats }: { size: number; repeats: number }): SizeRun {
  const leaves = makeReadingLeaves(size);
  buildReadingTree(leaves.slice(0, 2_000)); // warm up the JIT
  let best = Infinity;
  let root = "0x" as Hex;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    root = buildReadingTree(leaves).root;
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return { size, seconds: best, leavesPerSecond: size / best, root, engine: getHashEngine().name };
}

/** Child task: the same leaves through `StandardMerkleTree.of`. */
export function runBaseline({ size, repeats }: { size: number; repeats: number }): SizeRun {
  const values = makeReadingLeaves(size).map((leaf) => [...readingLeafToValues(leaf)]);
  const types = [...READING_LEAF_TYPES];
  let best = Infinity;
  let root = "0x" as Hex;
  for (let r = 0; r < repeats; r++) {
    const started = performance.now();
    root = StandardMerkleTree.of(values, types).root as Hex;
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return { size, seconds: best, leavesPerSecond: size / best, root, engine: "openzeppelin" };
}

/** Child task: 64-byte keccak256 hashes per second for each candidate. */
export async function runKeccakCandidates(): Promise<Record<string, number>> {
  const count = 200_000;
  const input = new Uint8Array(64);
  const out = new Uint8Array(32);
  const time = (hash: () => void): number => {
    for (let i = 0; i < 5_000; i++) hash();
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      input[0] = i;
      hash();
    }
    return count / ((performance.now() - started) / 1000);
  };
  const wasm = await createKeccak(256);
  const engine = getHashEngine();
  return {
    "@noble/hashes keccak_256": time(() => keccak_256(input)),
    "hash-wasm createKeccak (reused)": time(() => {
      wasm.init();
      wasm.update(input);
      wasm.digest("binary");
    }),
    "js keccak256Into (no allocation)": time(() => {
      keccak256Into(input, 0, 64, out, 0);
    }),
    // Bulk engines hash a batch of leaves per call; a leaf is a double hash.
    [`${jsHashEngine.name} engine, bulk`]: bulkHashesPerSecond(jsHashEngine, count),
    [`${engine.name} engine, bulk`]: bulkHashesPerSecond(engine, count),
  };
}

function bulkHashesPerSecond(engine: HashEngine, count: number): number {
  const batch = 1024;
  const input = new Uint8Array(64 * batch);
  const out = new Uint8Array(32 * batch);
  const seconds = timeSeconds(() => {
    engine.hashLeafEncodings(input, 64, batch, out, 0);
  }, count / batch);
  return (2 * count) / seconds;
}

function timeSeconds(task: () => void, times: number): number {
  task();
  const started = performance.now();
  for (let i = 0; i < times; i++) task();
  return (performance.now() - started) / 1000;
}

const MB = 1024 * 1024;

export default {
  name: "merkle",
  description:
    "salted reading leaves: leaves/s and peak RSS of buildReadingTreeFromColumns (and buildReadingTree up to 100k) vs @openzeppelin/merkle-tree StandardMerkleTree.of",
  async run({ progress, runInChild }: BenchContext): Promise<BenchMetric[]> {
    const self = import.meta.url;
    const metrics: BenchMetric[] = [];
    const baselines = new Map<number, { run: SizeRun; rss: number }>();
    for (const size of SIZES) {
      const repeats = size <= 10_000 ? 5 : size <= 100_000 ? 2 : 1;
      if (size <= MAX_BASELINE_SIZE) {
        progress(`${size.toLocaleString("en-US")} leaves: StandardMerkleTree.of (baseline)...`);
        const b = await runInChild<SizeRun>(self, "runBaseline", { size, repeats: 1 });
        baselines.set(size, { run: b.result, rss: b.maxRssBytes });
        progress(`  ${Math.round(b.result.leavesPerSecond).toLocaleString("en-US")} leaves/s`);
      }
      progress(`${size.toLocaleString("en-US")} leaves: buildReadingTreeFromColumns...`);
      const ours = await runInChild<SizeRun>(self, "runOurs", { size, repeats });
      progress(
        `  ${Math.round(ours.result.leavesPerSecond).toLocaleString("en-US")} leaves/s (${ours.result.engine}), peak RSS ${Math.round(ours.maxRssBytes / MB)} MB`,
      );
      const own = baselines.get(size);
      const base = own ?? baselines.get(MAX_BASELINE_SIZE);
      if (own && own.run.root !== ours.result.root) {
        throw new Error(
          `roots differ at ${size} leaves: ${ours.result.root} vs OZ ${own.run.root}`,
        );
      }
      // The object API too, where a million objects would not measure the tree build.
      const objects =
        size <= MAX_OBJECT_API_SIZE
          ? await runInChild<SizeRun>(self, "runOursObjects", { size, repeats })
          : undefined;
      if (objects && objects.result.root !== ours.result.root) {
        throw new Error(`object and column roots differ at ${size} leaves`);
      }
      const label = (what: string): string =>
        own
          ? `StandardMerkleTree.of ${what}`
          : `StandardMerkleTree.of ${what} at ${MAX_BASELINE_SIZE.toLocaleString("en-US")} leaves (too slow at ${size.toLocaleString("en-US")})`;
      const k = size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1000}k`;
      metrics.push(
        metric(
          `buildReadingTreeFromColumns ${k} leaves: leaves/s`,
          Math.round(ours.result.leavesPerSecond),
          "leaves/s",
          base && { name: label("leaves/s"), value: Math.round(base.run.leavesPerSecond) },
        ),
        metric(
          `buildReadingTreeFromColumns ${k} leaves: peak RSS`,
          Math.round(ours.maxRssBytes / MB),
          "MB",
          own && { name: "StandardMerkleTree.of peak RSS", value: Math.round(own.rss / MB) },
        ),
      );
      if (objects) {
        progress(
          `  objects: ${Math.round(objects.result.leavesPerSecond).toLocaleString("en-US")} leaves/s, peak RSS ${Math.round(objects.maxRssBytes / MB)} MB`,
        );
        metrics.push(
          metric(
            `buildReadingTree (objects) ${k} leaves: leaves/s`,
            Math.round(objects.result.leavesPerSecond),
            "leaves/s",
            base && { name: label("leaves/s"), value: Math.round(base.run.leavesPerSecond) },
          ),
        );
      }
    }
    progress("keccak candidates (64-byte input)...");
    const { result: candidates } = await runInChild<Record<string, number>>(
      self,
      "runKeccakCandidates",
      {},
    );
    const noble = candidates["@noble/hashes keccak_256"] ?? 0;
    for (const [name, perSecond] of Object.entries(candidates)) {
      metrics.push(
        metric(`keccak256 64 B: ${name}`, Math.round(perSecond), "hashes/s", {
          name: "@noble/hashes keccak_256",
          value: Math.round(noble),
        }),
      );
    }
    return metrics;
  },
};
