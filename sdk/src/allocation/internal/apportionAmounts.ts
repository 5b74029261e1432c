import { apportionByWeights } from "../../accounting/apportionByWeights.ts";
import type { AllocatedAmounts } from "../types.ts";

/**
 * Splits energy and both emissions figures by the same weights, each by
 * largest remainder, so every figure's shares sum to it exactly. Returns
 * undefined when there is nothing to weigh by (no recipients, or all weights
 * zero while something is to be split): the caller keeps it unallocated.
 */
export function apportionAmounts(
  amounts: AllocatedAmounts,
  weights: readonly bigint[],
): AllocatedAmounts[] | undefined {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
  if (weights.length === 0 || weightSum === 0n) return undefined;
  const energy = apportionByWeights(amounts.energyMilliWattHours, weights);
  const location = apportionByWeights(amounts.emissionsLocationMilligramsCo2e, weights);
  const market = apportionByWeights(amounts.emissionsMarketMilligramsCo2e, weights);
  return weights.map((_, index) => ({
    energyMilliWattHours: energy[index] ?? 0n,
    emissionsLocationMilligramsCo2e: location[index] ?? 0n,
    emissionsMarketMilligramsCo2e: market[index] ?? 0n,
  }));
}
