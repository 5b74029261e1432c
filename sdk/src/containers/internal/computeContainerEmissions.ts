import type { EmissionFactorRecord } from "../../factors/types.ts";
import { sumEmissionsMilligramsCo2e } from "../../units/sumEmissionsMilligramsCo2e.ts";
import type { HourEnergy } from "./computeContainerEnergy.ts";

/**
 * Location- and market-based emissions of a container: Σ over its hours of the
 * hour's imported energy × that hour's factor, summed exactly and rounded half
 * to even once. Exported energy is not netted (GHG Protocol Scope 2 reports
 * grid imports; exports are disclosed separately). Factors are in g/kWh, CO2e
 * or CO2 only (the latter flagged by the caller).
 */
export function computeContainerEmissions(
  hours: readonly HourEnergy[],
  locationFactors: readonly EmissionFactorRecord[],
  marketFactors: readonly EmissionFactorRecord[],
): { location: bigint; market: bigint } {
  const terms = (factors: readonly EmissionFactorRecord[]) =>
    hours.map((hour, index) => {
      const factor = factors[index];
      if (factor === undefined) throw new RangeError(`no factor for hour ${index}`);
      return {
        energyMilliWattHours: hour.energyImportedMilliWattHours,
        factor: { value: factor.value, unit: "g/kWh" as const },
      };
    });
  return {
    location: sumEmissionsMilligramsCo2e(terms(locationFactors)),
    market: sumEmissionsMilligramsCo2e(terms(marketFactors)),
  };
}
