import euAibResidualMix2024 from "./data/eu-aib-residual-mix-2024.json" with { type: "json" };
import { parseFactorDataset } from "./parseFactorDataset.ts";
import type { FactorDataset } from "./types.ts";

let cache: FactorDataset[] | undefined;

/**
 * The shipped residual-mix datasets (market-based Scope 2, energy not covered
 * by instruments): AIB European Residual Mixes, every country pending for now
 * (see the file's notes), so a lookup fails with `pending-region` and
 * marketBasedEmissions falls back to the location factor, flagged. Kept apart
 * from loadShippedFactorDatasets: a residual mix is never a location factor.
 */
export function loadShippedResidualMixDatasets(): readonly FactorDataset[] {
  cache ??= [parseFactorDataset(euAibResidualMix2024, "eu-aib-residual-mix-2024")];
  return cache;
}
