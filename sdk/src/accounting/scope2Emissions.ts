import type { HourlyFactor } from "../factors/resolveHourlyFactors.ts";
import { locationBasedEmissions } from "./locationBasedEmissions.ts";
import type { LocationBasedEmissionsReturnType } from "./locationBasedEmissions.ts";
import { marketBasedEmissions } from "./marketBasedEmissions.ts";
import type {
  MarketBasedEmissionsParameters,
  MarketBasedEmissionsReturnType,
} from "./marketBasedEmissions.ts";

export type Scope2EmissionsParameters = MarketBasedEmissionsParameters;
export interface Scope2EmissionsReturnType {
  /** Grid import (consumption after on-site self-consumption) × the location factor of each hour. */
  locationBased: LocationBasedEmissionsReturnType;
  marketBased: MarketBasedEmissionsReturnType;
}

/**
 * Both Scope 2 methods over the same hours, side by side (the GHG Protocol
 * Scope 2 Guidance asks for both: dual reporting). Location-based applies the
 * grid factor to what the grid supplied in each hour, i.e. consumption less
 * on-site self-consumption, so the same netting feeds both methods and they
 * always describe the same energy.
 *
 * @example
 * ```ts
 * const { locationBased, marketBased } = scope2Emissions({ hours, market: "GB", instruments, location: { datasets, region: "GB" } });
 * ```
 */
export function scope2Emissions(parameters: Scope2EmissionsParameters): Scope2EmissionsReturnType {
  const marketBased = marketBasedEmissions(parameters);
  const factors: readonly HourlyFactor[] | undefined = parameters.location.factors;
  const locationBased = locationBasedEmissions({
    pieces: marketBased.hours.map((hour) => ({
      startMs: hour.startMs,
      endMs: hour.endMs,
      energyMilliWattHours: hour.gridImportMilliWattHours,
    })),
    region: parameters.location.region,
    datasets: parameters.location.datasets,
    policy: parameters.location.policy,
    factors,
  });
  return { locationBased, marketBased };
}
