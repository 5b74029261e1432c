import type { AllocatedAmounts } from "../types.ts";

/** No energy, no emissions. */
export function zeroAmounts(): AllocatedAmounts {
  return {
    energyMilliWattHours: 0n,
    emissionsLocationMilligramsCo2e: 0n,
    emissionsMarketMilligramsCo2e: 0n,
  };
}

/** Adds `b` into `a` in place and returns `a`. */
export function addInto(a: AllocatedAmounts, b: AllocatedAmounts): AllocatedAmounts {
  a.energyMilliWattHours += b.energyMilliWattHours;
  a.emissionsLocationMilligramsCo2e += b.emissionsLocationMilligramsCo2e;
  a.emissionsMarketMilligramsCo2e += b.emissionsMarketMilligramsCo2e;
  return a;
}

/** a + b as a new value. */
export function sumAmounts(...values: readonly AllocatedAmounts[]): AllocatedAmounts {
  const total = zeroAmounts();
  for (const value of values) addInto(total, value);
  return total;
}
