import eu27Ember2023 from "./data/eu27-ember-2023.json" with { type: "json" };
import eu27SdesIea2021 from "./data/eu27-sdes-iea-2021.json" with { type: "json" };
import ukDesnz2025 from "./data/uk-desnz-2025.json" with { type: "json" };
import usEpaEgrid2023 from "./data/us-epa-egrid2023.json" with { type: "json" };
import { parseFactorDataset } from "./parseFactorDataset.ts";
// Register a new data file here and in parseFactorDataset.test.ts.
import type { FactorDataset } from "./types.ts";

let cache: FactorDataset[] | undefined;

/**
 * The emission-factor datasets shipped with the sdk (`factors/data/*.json`),
 * each validated by parseFactorDataset on first use: US EPA eGRID2023
 * subregions, UK DESNZ 2025, EU-27 yearly averages (the SDES/IEA 2021 set,
 * then Ember 2023). The order is the lookup priority: findFactor lets the
 * first dataset holding a region decide, so DE, PL, FR, SE and EU27 resolve
 * in the 2021 set (as before Ember was added) and the other 22 member states
 * in Ember 2023; pass the Ember dataset first to use it for all 27.
 *
 * @throws {InvalidInputError} if a shipped file fails validation (a packaging bug).
 * @example
 * ```ts
 * const datasets = loadShippedFactorDatasets();
 * datasets.map((d) => d.id); // ["us-epa-egrid2023", "uk-desnz-2025", "eu27-sdes-iea-2021", "eu27-ember-2023"]
 * ```
 */
export function loadShippedFactorDatasets(): readonly FactorDataset[] {
  cache ??= [
    parseFactorDataset(usEpaEgrid2023, "us-epa-egrid2023"),
    parseFactorDataset(ukDesnz2025, "uk-desnz-2025"),
    parseFactorDataset(eu27SdesIea2021, "eu27-sdes-iea-2021"),
    parseFactorDataset(eu27Ember2023, "eu27-ember-2023"),
  ];
  return cache;
}
