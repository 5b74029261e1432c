import type { Hex } from "viem";
import { keccak256 } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import type { FuelFactorDataset, FuelFactorRecord } from "../factors/parseFuelFactorDataset.ts";
import { parseDecimal } from "../units/parseDecimal.ts";
import { roundHalfEven } from "../units/roundHalfEven.ts";
import type { Rational } from "../units/types.ts";
import { apportionByWeights } from "./apportionByWeights.ts";

/** Litres per unit of fuel volume in a factor's denominator, exact: 1 scf = 0.028316846592 m³ (1 ft = 0.3048 m). */
const LITRES_PER_UNIT: Readonly<Record<string, Rational>> = {
  scf: { numerator: 28_316_846_592n, denominator: 1_000_000_000n },
  m3: { numerator: 1_000n, denominator: 1n },
  litre: { numerator: 1n, denominator: 1n },
};

/**
 * - `factor-co2-only`: the fuel factor counts CO2 only (CH4, N2O left out).
 * - `fuel-volume-reference-conditions-assumed`: a gas volume read at the meter's conditions was
 *   used with a factor per standard volume; the few per cent between them are not corrected.
 */
export type FuelEmissionFlag = "factor-co2-only" | "fuel-volume-reference-conditions-assumed";

export interface FuelPiece {
  startMs: number;
  endMs: number;
  /** Fuel volume burned in the piece, litres (1 m³ = 1 000 L; a DSMR gas register's 3 decimals of m³ are litres). */
  volumeLitres: bigint;
}

export interface FuelCombustionEmissionsParameters {
  pieces: readonly FuelPiece[];
  fuel: string;
  datasets: readonly FuelFactorDataset[];
}
export interface FuelCombustionEmissionsReturnType {
  scope: 1;
  pieces: (FuelPiece & { exactMilligramsCo2e: Rational; emissionsMilligramsCo2e: bigint })[];
  emissionsMilligramsCo2e: bigint;
  volumeLitres: bigint;
  factor: FuelFactorRecord;
  /** keccak256 of the JCS bytes of the factor record, as for grid factors. */
  factorRef: Hex;
  flags: FuelEmissionFlag[];
}

/**
 * Scope 1: combustion emissions of a fuel meter's volumes (DSMR M-Bus gas
 * channel, pulse gas meters, oil flow meters), per piece (hours, job windows),
 * with a shipped fuel factor of the year of use. Same rounding rule as Scope 2:
 * the exact sum rounded half to even once, handed back to the pieces by largest
 * remainder, so per-hour figures allocate to jobs with apportionByWeights and
 * add up.
 *
 * mg = litres × value[kg/unit] × 10^6 / litresPerUnit.
 *
 * @throws {InvalidInputError} for no pieces, a negative volume, or no factor for the fuel and year
 *   (a pending fuel names its reason): never a silent zero.
 * @example
 * ```ts
 * fuelCombustionEmissions({ pieces: [{ startMs, endMs, volumeLitres: 1_000n }], fuel: "natural-gas", datasets: loadShippedFuelFactorDatasets() });
 * ```
 */
export function fuelCombustionEmissions({
  pieces,
  fuel,
  datasets,
}: FuelCombustionEmissionsParameters): FuelCombustionEmissionsReturnType {
  if (pieces.length === 0) throw new InvalidInputError("pieces", "needs at least one piece");
  const startMs = pieces[0]?.startMs ?? 0;
  const factor = findFuelFactor(datasets, fuel, startMs);
  const [, , perUnit = ""] = /^kg (CO2e?)\/(.+)$/u.exec(factor.unit) ?? [];
  const litresPerUnit = LITRES_PER_UNIT[perUnit];
  if (litresPerUnit === undefined)
    throw new InvalidInputError("factor.unit", `unknown unit ${factor.unit}`);
  const value = parseDecimal(factor.value, "factor.value");
  const exact = pieces.map((piece, index) => {
    if (piece.volumeLitres < 0n)
      throw new InvalidInputError(`pieces[${index}].volumeLitres`, "must not be negative");
    if (piece.endMs <= piece.startMs)
      throw new InvalidInputError(`pieces[${index}].endMs`, "not after startMs");
    if (piece.startMs < factor.period.startMs || piece.endMs > factor.period.endMs)
      throw new InvalidInputError(
        `pieces[${index}]`,
        `outside the factor's year ${new Date(factor.period.startMs).getUTCFullYear()}`,
      );
    return {
      numerator: piece.volumeLitres * value.numerator * 1_000_000n * litresPerUnit.denominator,
      denominator: value.denominator * litresPerUnit.numerator,
    };
  });
  // All pieces share one factor, hence one denominator.
  const denominator = exact[0]?.denominator ?? 1n;
  const total = roundHalfEven(
    exact.reduce((sum, e) => sum + e.numerator, 0n),
    denominator,
  );
  const shares = apportionByWeights(
    total,
    exact.map((e) => e.numerator),
  );
  const flags: FuelEmissionFlag[] = [];
  if (factor.gases === "CO2") flags.push("factor-co2-only");
  if (perUnit === "scf" || perUnit === "m3") flags.push("fuel-volume-reference-conditions-assumed");
  return {
    scope: 1,
    pieces: pieces.map((piece, index) => ({
      ...piece,
      exactMilligramsCo2e: exact[index] ?? { numerator: 0n, denominator: 1n },
      emissionsMilligramsCo2e: shares[index] ?? 0n,
    })),
    emissionsMilligramsCo2e: total,
    volumeLitres: pieces.reduce((sum, piece) => sum + piece.volumeLitres, 0n),
    factor,
    factorRef: keccak256(canonicalJsonBytes(factor)),
    flags,
  };
}

function findFuelFactor(
  datasets: readonly FuelFactorDataset[],
  fuel: string,
  atMs: number,
): FuelFactorRecord {
  for (const dataset of datasets) {
    const found = dataset.factors.find(
      (f) => f.fuel === fuel && f.period.startMs <= atMs && atMs < f.period.endMs,
    );
    if (found !== undefined) return found;
  }
  // Factors are yearly; the latest earlier year stands in only when the fuel has no figure for the year at all.
  const earlier = datasets
    .flatMap((dataset) => dataset.factors)
    .filter((f) => f.fuel === fuel && f.period.endMs <= atMs)
    .sort((a, b) => b.period.endMs - a.period.endMs);
  const pending = datasets.flatMap((dataset) =>
    dataset.pending.filter((p) => p.fuel === fuel).map((p) => `${dataset.id}: ${p.reason}`),
  );
  throw new InvalidInputError("fuel", `no ${fuel} factor for ${new Date(atMs).toISOString()}`, {
    details: pending.length > 0 ? `pending: ${pending.join("; ")}` : undefined,
    hints:
      earlier[0] === undefined
        ? ["Add a cited fuel factor dataset for this fuel."]
        : [
            `The latest earlier factor is ${earlier[0].datasetId} (${new Date(earlier[0].period.startMs).getUTCFullYear()}); add the year's dataset.`,
          ],
  });
}
