import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { factorListRef } from "../factors/factorListRef.ts";
import { findFactor } from "../factors/findFactor.ts";
import type { FactorPolicy } from "../factors/findFactor.ts";
import type { HourlyFactor } from "../factors/resolveHourlyFactors.ts";
import type { EmissionFactorRecord, FactorDataset } from "../factors/types.ts";
import { parseDecimal } from "../units/parseDecimal.ts";
import { sumEmissionsMilligramsCo2e } from "../units/sumEmissionsMilligramsCo2e.ts";
import { apportionByWeights } from "./apportionByWeights.ts";

/**
 * How an emissions figure was obtained, beyond the energy flags.
 *
 * - `factor-latest-earlier-period`: no factor covers the time; the most recent earlier one was used.
 * - `factor-co2-only`: the factor counts CO2 only (no CH4, N2O); used as CO2e it understates slightly.
 * - `factor-lifecycle`: the factor includes upstream emissions (not a direct Scope 2 factor).
 * - `no-contractual-instruments-or-on-site-generation-registered`: market-based figure without
 *   any instrument or on-site generation to apply (see marketBasedEmissions).
 * - `location-factors-used-no-residual-mix`: market-based figure computed with the location
 *   factors because no residual-mix factor is applied (none configured, or the region pending).
 * - `factor-live-fallback-to-shipped`: a live source was configured but failed for an hour
 *   (missing, negative/absurd, error status, changed format, rate limit, wrong kind); the
 *   shipped dataset's factor was used and the reason recorded with the hour.
 * - `factor-estimated`: a live factor is a forecast or model estimate (the source says so).
 * - `instrument-rejected`: a contractual instrument failed a Scope 2 quality criterion or was
 *   claimed twice; it was not applied and the energy it would have covered took the residual mix.
 */
export type EmissionFlag =
  | "factor-latest-earlier-period"
  | "factor-co2-only"
  | "factor-lifecycle"
  | "no-contractual-instruments-or-on-site-generation-registered"
  | "location-factors-used-no-residual-mix"
  | "factor-live-fallback-to-shipped"
  | "factor-estimated"
  | "instrument-rejected";

/** Energy of one piece of a period, typically one clock hour from splitCounterEnergyByHour. */
export interface EnergyForEmissions {
  startMs: number;
  endMs: number;
  /** Energy drawn from the grid (imported); exports do not reduce location-based Scope 2. */
  energyMilliWattHours: bigint;
}

export interface PieceEmissions {
  startMs: number;
  endMs: number;
  energyMilliWattHours: bigint;
  factorRef: Hex;
  /** g CO2e/kWh as an exact decimal string (or g CO2/kWh, flagged `factor-co2-only`). */
  factorValue: string;
  /** The piece's exact emissions in mg: numerator / denominator (energy × factor / 1000). */
  exactMilligramsCo2e: { numerator: bigint; denominator: bigint };
  /** The piece's share of the rounded total (largest remainder): within 1.5 mg of the exact figure. */
  emissionsMilligramsCo2e: bigint;
  flags: EmissionFlag[];
}

export interface LocationBasedEmissionsParameters {
  pieces: readonly EnergyForEmissions[];
  region: string;
  datasets: readonly FactorDataset[];
  policy?: FactorPolicy | undefined;
  /**
   * Factors already resolved per piece (resolveHourlyFactors: live source with a recorded
   * fallback), aligned with `pieces`; when given, `datasets` is not searched.
   */
  factors?: readonly HourlyFactor[] | undefined;
}
export interface LocationBasedEmissionsReturnType {
  method: "location-based";
  pieces: PieceEmissions[];
  /** Σ exact piece emissions, rounded half to even once; the pieces' integers sum to it exactly. */
  emissionsMilligramsCo2e: bigint;
  energyMilliWattHours: bigint;
  /** The container header's factorRef (factorListRef of the factors used). */
  factorRef: Hex;
  /** Distinct factors used, in order of first use. */
  factors: EmissionFactorRecord[];
  flags: EmissionFlag[];
}
export type LocationBasedEmissionsErrorType = InvalidInputError;

export const EMISSION_FLAG_ORDER: readonly EmissionFlag[] = [
  "factor-latest-earlier-period",
  "factor-co2-only",
  "factor-lifecycle",
  "no-contractual-instruments-or-on-site-generation-registered",
  "location-factors-used-no-residual-mix",
  "factor-live-fallback-to-shipped",
  "factor-estimated",
  "instrument-rejected",
];
const FLAG_ORDER = EMISSION_FLAG_ORDER;

/**
 * GHG Protocol Scope 2, location-based: each piece's grid energy times the
 * grid factor of its region at that time. Rounding, as everywhere in the sdk
 * (docs/formats.md, docs/accounting.md): the exact terms are summed and the
 * total is rounded half to even once (sumEmissionsMilligramsCo2e). The total
 * is then distributed back over the pieces by largest remainder, weighted by
 * their exact emissions, so each piece carries an integer and the pieces sum
 * exactly to the total: an allocation that splits pieces further (jobs within
 * an hour) splits these integers the same way (apportionByWeights) and adds up.
 *
 * Each piece must lie within one factor period (cut periods at clock hours and
 * at factor boundaries; hourly pieces from splitCounterEnergyByHour always do
 * for yearly and hourly factors).
 *
 * @throws {NoEmissionFactorError} when no factor applies (never a silent zero).
 * @throws {InvalidInputError} for an empty list, a bad piece, or a piece spanning two factors.
 * @example
 * ```ts
 * const result = locationBasedEmissions({
 *   pieces: split.hours.map((h) => ({ startMs: h.startMs, endMs: h.endMs, energyMilliWattHours: h.energyImportedMilliWattHours })),
 *   region: "GB",
 *   datasets: loadShippedFactorDatasets(),
 * });
 * result.emissionsMilligramsCo2e; // bigint
 * ```
 */
export function locationBasedEmissions({
  pieces,
  region,
  datasets,
  policy = "in-period",
  factors,
}: LocationBasedEmissionsParameters): LocationBasedEmissionsReturnType {
  if (pieces.length === 0) throw new InvalidInputError("pieces", "needs at least one piece");
  if (factors !== undefined && factors.length !== pieces.length)
    throw new InvalidInputError("factors", `${factors.length} factors for ${pieces.length} pieces`);
  const resolved = pieces.map((piece, index) => {
    const path = `pieces[${index}]`;
    if (
      !Number.isSafeInteger(piece.startMs) ||
      !Number.isSafeInteger(piece.endMs) ||
      piece.endMs <= piece.startMs
    ) {
      throw new InvalidInputError(
        `${path}.endMs`,
        `[${piece.startMs}, ${piece.endMs}) is not a half-open period`,
      );
    }
    if (piece.energyMilliWattHours < 0n) {
      throw new InvalidInputError(
        `${path}.energyMilliWattHours`,
        `must not be negative, got ${piece.energyMilliWattHours}`,
      );
    }
    const given = factors?.[index];
    if (
      given !== undefined &&
      (given.startMs !== piece.startMs ||
        given.endMs !== piece.endMs ||
        piece.startMs < given.factor.period.startMs ||
        piece.endMs > given.factor.period.endMs)
    )
      throw new InvalidInputError(`factors[${index}]`, "does not cover its piece");
    const atStart =
      given === undefined
        ? findFactor(datasets, region, piece.startMs, policy)
        : {
            factor: given.factor,
            ref: given.ref,
            match: given.match === "latest-earlier-period" ? given.match : ("in-period" as const),
          };
    const atEnd =
      given === undefined ? findFactor(datasets, region, piece.endMs - 1, policy) : atStart;
    if (atStart.ref !== atEnd.ref) {
      throw new InvalidInputError(path, "spans two emission-factor periods", {
        details: `The factor changes at ${new Date(atStart.factor.period.endMs).toISOString()}.`,
        hints: [
          "Cut the period there (hourly pieces from splitCounterEnergyByHour do this for yearly and hourly factors).",
        ],
      });
    }
    const flags = new Set<EmissionFlag>();
    if (atStart.match === "latest-earlier-period") flags.add("factor-latest-earlier-period");
    if (atStart.factor.unit === "g CO2/kWh") flags.add("factor-co2-only");
    if (atStart.factor.kind === "lifecycle") flags.add("factor-lifecycle");
    if (given?.fallback !== undefined) flags.add("factor-live-fallback-to-shipped");
    if (given?.estimated === true) flags.add("factor-estimated");
    // mWh × g/kWh = µg, so mg = energy × factor / 1_000, kept as an exact rational.
    const factor = parseDecimal(atStart.factor.value, `${path}.factor.value`);
    const exact = {
      numerator: piece.energyMilliWattHours * factor.numerator,
      denominator: factor.denominator * 1_000n,
    };
    return { piece, found: atStart, flags, exact };
  });

  const total = sumEmissionsMilligramsCo2e(
    resolved.map(({ piece, found }) => ({
      energyMilliWattHours: piece.energyMilliWattHours,
      factor: { value: found.factor.value, unit: "g/kWh" as const },
    })),
  );
  // Weights on a common denominator (all are 10^k × 1_000, so the largest is a multiple of each).
  const common = resolved.reduce(
    (max, { exact }) => (exact.denominator > max ? exact.denominator : max),
    1n,
  );
  const shares = apportionByWeights(
    total,
    resolved.map(({ exact }) => exact.numerator * (common / exact.denominator)),
  );

  const used: EmissionFactorRecord[] = [];
  const usedRefs = new Set<Hex>();
  const allFlags = new Set<EmissionFlag>();
  let energy = 0n;
  const results: PieceEmissions[] = resolved.map(({ piece, found, flags, exact }, index) => {
    if (!usedRefs.has(found.ref)) {
      usedRefs.add(found.ref);
      used.push(found.factor);
    }
    for (const flag of flags) allFlags.add(flag);
    energy += piece.energyMilliWattHours;
    return {
      startMs: piece.startMs,
      endMs: piece.endMs,
      energyMilliWattHours: piece.energyMilliWattHours,
      factorRef: found.ref,
      factorValue: found.factor.value,
      exactMilligramsCo2e: exact,
      emissionsMilligramsCo2e: shares[index] ?? 0n,
      flags: FLAG_ORDER.filter((flag) => flags.has(flag)),
    };
  });
  return {
    method: "location-based",
    pieces: results,
    emissionsMilligramsCo2e: total,
    energyMilliWattHours: energy,
    factorRef: factorListRef(used),
    factors: used,
    flags: FLAG_ORDER.filter((flag) => allFlags.has(flag)),
  };
}
