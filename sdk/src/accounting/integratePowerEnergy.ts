import { z } from "zod";
import { InvalidInputError } from "../errors/index.ts";
import { elementAt } from "./elementAt.ts";
import { invalidInputFromZod } from "./invalidInputFromZod.ts";
import { sortEnergyFlags } from "./sortEnergyFlags.ts";
import type { EnergyFlag, NeedsMoreData, ReadingQualityName } from "./types.ts";

/** One instantaneous power sample of a channel without an energy counter. */
export interface PowerSample {
  timestampMs: number;
  powerMilliWatts: bigint;
  quality: ReadingQualityName;
}

/**
 * The exact running integral at one sample, to continue integrating later
 * without the samples before it: twice the integral in mW·ms is an integer at
 * every sample under the trapezoid rule, so nothing is rounded here.
 */
export interface PowerCheckpoint {
  timestampMs: number;
  powerMilliWatts: bigint;
  twiceIntegralMilliWattMilliseconds: bigint;
}

/** The integrated counter C(t) at a cut, in whole mWh since the origin. */
export interface PowerBoundary {
  timestampMs: number;
  cumulativeMilliWattHours: bigint;
  method: "reading" | "interpolated" | "held" | "first-reading" | "no-readings";
}

export interface IntegratedEnergyPiece {
  startMs: number;
  endMs: number;
  energyMilliWattHours: bigint;
  flags: EnergyFlag[];
}

export interface IntegratePowerEnergyParameters {
  /** Sorted samples; when `origin` is given, samples[0] must be the origin's sample. */
  samples: unknown;
  /** Instants, strictly increasing, at least two: pieces are [cuts[k], cuts[k+1]). */
  cutsMs: readonly number[];
  /** Samples further apart than this are a gap: pieces spanning it are flagged `gap-bridged`. */
  maxGapMs: number;
  /** Where the running integral stands at samples[0]; omit on a channel's first call (integral 0). */
  origin?: PowerCheckpoint | undefined;
  /** The previous period's last boundary, used for the first cut (keeps a chain exact across `held`). */
  startBoundary?: PowerBoundary | undefined;
  nowMs: number;
  graceMs: number;
}
export type IntegratePowerEnergyReturnType =
  | {
      status: "complete";
      pieces: IntegratedEnergyPiece[];
      boundaries: PowerBoundary[];
      /** Pass as `origin` next time, with the samples from this checkpoint's sample on. Null without samples. */
      checkpoint: PowerCheckpoint | null;
    }
  | NeedsMoreData;
export type IntegratePowerEnergyErrorType = InvalidInputError;

const TWICE_MILLIWATT_MILLISECONDS_PER_MILLIWATT_HOUR = 7_200_000n; // 2 × 3_600_000 mW·ms

const samplesSchema = z.array(
  z.object({
    timestampMs: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    powerMilliWatts: z.bigint().nonnegative(),
    quality: z.enum(["measured", "estimated", "imported"]),
  }),
);

/**
 * Energy from power samples, for devices without an energy counter; every
 * figure is flagged `integrated`. Between samples power is taken as linear
 * (trapezoid rule), so the exact integral from the origin is
 *
 *     2·I(tk)   = Σ (P_j + P_j+1)·(t_j+1 − t_j)                        (integer, mW·ms)
 *     2·I(t)    = 2·I(tk) + (2·Pk·τ·d + ΔP·τ²) / d      for t = tk + τ, d = tk+1 − tk
 *     C(t)      = ⌊ 2·I(t) / 7_200_000 ⌋                               (mWh; 1 mWh = 3.6e6 mW·ms)
 *
 * all in bigint, and a piece is C(end) − C(start), so pieces telescope and sum
 * exactly to C(last cut) − C(first cut). Waiting and holding past the grace
 * period work as for counters (counterBoundaryAt).
 *
 * @throws {InvalidInputError} for bad samples (unsorted, negative power), cuts, or an origin
 *   that does not match samples[0].
 * @example
 * ```ts
 * // 1 W for one hour: 1_000 mW · 3_600_000 ms = 1_000 mWh.
 * integratePowerEnergy({
 *   samples: [
 *     { timestampMs: 0, powerMilliWatts: 1_000n, quality: "measured" },
 *     { timestampMs: 3_600_000, powerMilliWatts: 1_000n, quality: "measured" },
 *   ],
 *   cutsMs: [0, 3_600_000], maxGapMs: 60_000, nowMs: 3_600_000, graceMs: 0,
 * }); // pieces[0].energyMilliWattHours === 1_000n, flags include "integrated" and "gap-bridged"
 * ```
 */
export function integratePowerEnergy({
  samples: samplesInput,
  cutsMs,
  maxGapMs,
  origin,
  startBoundary,
  nowMs,
  graceMs,
}: IntegratePowerEnergyParameters): IntegratePowerEnergyReturnType {
  const parsed = samplesSchema.safeParse(samplesInput);
  if (!parsed.success) throw invalidInputFromZod("samples", parsed.error);
  const samples = parsed.data;
  for (let index = 1; index < samples.length; index++) {
    if (elementAt(samples, index).timestampMs <= elementAt(samples, index - 1).timestampMs) {
      throw new InvalidInputError(
        `samples[${index}].timestampMs`,
        "is not after the previous sample (samples must be sorted, one per instant)",
      );
    }
  }
  if (cutsMs.length < 2) throw new InvalidInputError("cutsMs", "needs at least a start and an end");
  cutsMs.forEach((cut, index) => {
    if (
      !Number.isSafeInteger(cut) ||
      cut < 0 ||
      (index > 0 && cut <= elementAt(cutsMs, index - 1))
    ) {
      throw new InvalidInputError(
        `cutsMs[${index}]`,
        `${cut} is not a non-negative integer after the previous cut`,
      );
    }
  });
  if (!Number.isSafeInteger(maxGapMs) || maxGapMs <= 0) {
    throw new InvalidInputError("maxGapMs", `not a positive integer: ${maxGapMs}`);
  }
  if (startBoundary !== undefined && startBoundary.timestampMs !== cutsMs[0]) {
    throw new InvalidInputError(
      "startBoundary.timestampMs",
      `${startBoundary.timestampMs} is not the first cut ${cutsMs[0]}`,
    );
  }
  const first = samples[0];
  if (origin !== undefined) {
    if (
      first?.timestampMs !== origin.timestampMs ||
      first.powerMilliWatts !== origin.powerMilliWatts
    ) {
      throw new InvalidInputError(
        "origin",
        "does not match samples[0] (pass the samples from the checkpoint's sample on)",
      );
    }
  }

  // Exact running integral (×2, mW·ms) at every sample.
  const twice: bigint[] = [];
  samples.forEach((sample, index) => {
    if (index === 0) {
      twice.push(origin?.twiceIntegralMilliWattMilliseconds ?? 0n);
      return;
    }
    const previous = elementAt(samples, index - 1);
    twice.push(
      elementAt(twice, index - 1) +
        (previous.powerMilliWatts + sample.powerMilliWatts) *
          BigInt(sample.timestampMs - previous.timestampMs),
    );
  });

  const boundaries: PowerBoundary[] = [];
  for (let index = cutsMs.length - 1; index >= 0; index--) {
    const cut = elementAt(cutsMs, index);
    if (index === 0 && startBoundary !== undefined) {
      boundaries[0] = startBoundary;
      continue;
    }
    const boundary = boundaryAt(samples, twice, cut, nowMs, graceMs);
    if ("status" in boundary) return boundary;
    boundaries[index] = boundary;
  }

  const pieces: IntegratedEnergyPiece[] = [];
  for (let index = 0; index + 1 < boundaries.length; index++) {
    const start = elementAt(boundaries, index);
    const end = elementAt(boundaries, index + 1);
    const energy = end.cumulativeMilliWattHours - start.cumulativeMilliWattHours;
    if (energy < 0n) {
      throw new InvalidInputError(
        index === 0 ? "startBoundary" : `boundaries[${index}]`,
        "lies above the integral at the end of the piece",
        {
          hints: [
            "Samples changed after the start boundary was computed; revise the earlier period.",
          ],
        },
      );
    }
    const flags = new Set<EnergyFlag>(["integrated"]);
    samples.forEach((sample, k) => {
      const next = samples[k + 1];
      // Pair k contributes if [t_k, t_k+1) meets [start, end).
      if (
        next !== undefined &&
        sample.timestampMs < end.timestampMs &&
        next.timestampMs > start.timestampMs
      ) {
        flags.add(sample.quality);
        flags.add(next.quality);
        if (next.timestampMs - sample.timestampMs > maxGapMs) flags.add("gap-bridged");
      }
    });
    for (const boundary of [start, end]) {
      if (boundary.method === "interpolated") flags.add("interpolated");
      if (boundary.method === "held") {
        flags.add("held");
        flags.add("estimated");
      }
      if (boundary.method === "no-readings") flags.add("no-readings");
    }
    if (
      start.method === "first-reading" &&
      first !== undefined &&
      first.timestampMs > start.timestampMs
    ) {
      flags.add("starts-at-first-reading");
    }
    pieces.push({
      startMs: start.timestampMs,
      endMs: end.timestampMs,
      energyMilliWattHours: energy,
      flags: sortEnergyFlags(flags),
    });
  }

  const lastCut = elementAt(cutsMs, cutsMs.length - 1);
  let checkpointIndex = -1;
  samples.forEach((sample, index) => {
    if (sample.timestampMs <= lastCut) checkpointIndex = index;
  });
  if (checkpointIndex < 0 && samples.length > 0) checkpointIndex = 0;
  const anchor = samples[checkpointIndex];
  return {
    status: "complete",
    pieces,
    boundaries,
    checkpoint:
      anchor === undefined
        ? null
        : {
            timestampMs: anchor.timestampMs,
            powerMilliWatts: anchor.powerMilliWatts,
            twiceIntegralMilliWattMilliseconds: elementAt(twice, checkpointIndex),
          },
  };
}

function boundaryAt(
  samples: readonly PowerSample[],
  twice: readonly bigint[],
  timestampMs: number,
  nowMs: number,
  graceMs: number,
): PowerBoundary | NeedsMoreData {
  const wait = (): NeedsMoreData | null =>
    nowMs < timestampMs + graceMs
      ? {
          status: "needs-more-data",
          boundaryMs: timestampMs,
          graceDeadlineMs: timestampMs + graceMs,
        }
      : null;
  const first = samples[0];
  if (first === undefined)
    return wait() ?? { timestampMs, cumulativeMilliWattHours: 0n, method: "no-readings" };
  const whole = (index: number): bigint =>
    elementAt(twice, index) / TWICE_MILLIWATT_MILLISECONDS_PER_MILLIWATT_HOUR;
  if (timestampMs < first.timestampMs)
    return { timestampMs, cumulativeMilliWattHours: whole(0), method: "first-reading" };
  let index = 0;
  while (index + 1 < samples.length && elementAt(samples, index + 1).timestampMs <= timestampMs)
    index++;
  const sample = elementAt(samples, index);
  if (sample.timestampMs === timestampMs)
    return { timestampMs, cumulativeMilliWattHours: whole(index), method: "reading" };
  const next = samples[index + 1];
  if (next === undefined)
    return wait() ?? { timestampMs, cumulativeMilliWattHours: whole(index), method: "held" };
  const d = BigInt(next.timestampMs - sample.timestampMs);
  const tau = BigInt(timestampMs - sample.timestampMs);
  const deltaPower = next.powerMilliWatts - sample.powerMilliWatts;
  // Non-negative: power is linear between two non-negative samples, so the partial area is ≥ 0.
  const numerator =
    elementAt(twice, index) * d + 2n * sample.powerMilliWatts * tau * d + deltaPower * tau * tau;
  return {
    timestampMs,
    cumulativeMilliWattHours: numerator / (d * TWICE_MILLIWATT_MILLISECONDS_PER_MILLIWATT_HOUR),
    method: "interpolated",
  };
}
