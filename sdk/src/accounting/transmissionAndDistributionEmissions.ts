import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { NoEmissionFactorError } from "../factors/NoEmissionFactorError.ts";
import type { FactorPolicy } from "../factors/findFactor.ts";
import type { EmissionFactorRecord, FactorDataset } from "../factors/types.ts";
import { locationBasedEmissions } from "./locationBasedEmissions.ts";
import type { EmissionFlag, EnergyForEmissions, PieceEmissions } from "./locationBasedEmissions.ts";

export interface TransmissionAndDistributionEmissionsParameters {
  /** The same grid-import pieces the location-based Scope 2 figure was computed from. */
  pieces: readonly EnergyForEmissions[];
  region: string;
  /**
   * Grid-factor datasets (e.g. loadShippedFactorDatasets()); only their
   * `transmissionAndDistribution` lists are read, in the same priority order.
   */
  datasets: readonly FactorDataset[];
  policy?: FactorPolicy | undefined;
}

export interface TransmissionAndDistributionEmissionsReturnType {
  /** Always its own line: GHG Protocol Scope 3, category 3 (fuel- and energy-related activities). */
  line: "scope-3-category-3-transmission-and-distribution-losses";
  scope: 3;
  category: 3;
  pieces: PieceEmissions[];
  emissionsMilligramsCo2e: bigint;
  energyMilliWattHours: bigint;
  factorRef: Hex;
  factors: EmissionFactorRecord[];
  flags: EmissionFlag[];
}
export type TransmissionAndDistributionEmissionsErrorType =
  InvalidInputError | NoEmissionFactorError;

/**
 * Emissions of the electricity lost in transmission and distribution on its way
 * to the site: energy consumed from the grid × the publisher's T&D factor
 * (DESNZ "T&D- UK electricity"). GHG Protocol puts these in Scope 3 category 3,
 * so this is a separate, declared line: it reads only the datasets'
 * `transmissionAndDistribution` lists (never a Scope 2 factor) and returns a
 * figure of its own, which callers report beside the location-based Scope 2
 * total and never add into it. Arithmetic and rounding are those of
 * locationBasedEmissions (exact sum rounded half to even once, handed back to
 * the pieces by largest remainder).
 *
 * @throws {NoEmissionFactorError} `pending-region` while the T&D figure is not shipped
 *   (the reason is in `details`), `unknown-region` when no dataset has a T&D list for the
 *   region: never a silent zero.
 * @throws {InvalidInputError} for an empty list or a bad piece.
 * @example
 * ```ts
 * const td = transmissionAndDistributionEmissions({ pieces, region: "GB", datasets });
 * td.line; // "scope-3-category-3-transmission-and-distribution-losses"
 * ```
 */
export function transmissionAndDistributionEmissions({
  pieces,
  region,
  datasets,
  policy,
}: TransmissionAndDistributionEmissionsParameters): TransmissionAndDistributionEmissionsReturnType {
  if (pieces.length === 0) throw new InvalidInputError("pieces", "needs at least one piece");
  const lossDatasets = datasets.flatMap((dataset) =>
    dataset.transmissionAndDistribution === undefined ? [] : [dataset.transmissionAndDistribution],
  );
  if (lossDatasets.length === 0) {
    const first = pieces[0]?.startMs ?? 0;
    throw new NoEmissionFactorError(region, first, "unknown-region", {
      details: `None of the datasets [${datasets.map((dataset) => dataset.id).join(", ")}] declares transmission and distribution losses.`,
    });
  }
  const result = locationBasedEmissions({ pieces, region, datasets: lossDatasets, policy });
  return {
    line: "scope-3-category-3-transmission-and-distribution-losses",
    scope: 3,
    category: 3,
    pieces: result.pieces,
    emissionsMilligramsCo2e: result.emissionsMilligramsCo2e,
    energyMilliWattHours: result.energyMilliWattHours,
    factorRef: result.factorRef,
    factors: result.factors,
    flags: result.flags,
  };
}
