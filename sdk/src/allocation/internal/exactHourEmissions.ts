import type { EmissionFactorRecord } from "../../factors/types.ts";
import { apportionByWeights } from "../../accounting/apportionByWeights.ts";
import { parseDecimal } from "../../units/parseDecimal.ts";
import { sumEmissionsMilligramsCo2e } from "../../units/sumEmissionsMilligramsCo2e.ts";

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/**
 * Integer mg CO2e per hour for one method: the exact Σ energy × factor / 1000
 * over all hours, rounded half to even once (sumEmissionsMilligramsCo2e, the
 * rule containers use), then handed back to the hours by largest remainder
 * weighted by their exact emissions (apportionByWeights). The hours sum to
 * the rounded total exactly, and an hour without energy gets zero.
 */
export function exactHourEmissions(
  hours: readonly { energyMilliWattHours: bigint; factor: EmissionFactorRecord }[],
): { total: bigint; perHour: bigint[] } {
  const total = sumEmissionsMilligramsCo2e(
    hours.map((hour) => ({
      energyMilliWattHours: hour.energyMilliWattHours,
      factor: { value: hour.factor.value, unit: "g/kWh" as const },
    })),
  );
  // Exact weights energy × value on one common denominator (lcm of the factors' decimal denominators).
  const factors = hours.map((hour, index) => parseDecimal(hour.factor.value, `hours[${index}]`));
  const common = factors.reduce(
    (lcm, factor) => (lcm * factor.denominator) / gcd(lcm, factor.denominator),
    1n,
  );
  const weights = hours.map(
    (hour, index) =>
      hour.energyMilliWattHours *
      (factors[index]?.numerator ?? 0n) *
      (common / (factors[index]?.denominator ?? 1n)),
  );
  return { total, perHour: apportionByWeights(total, weights) };
}
