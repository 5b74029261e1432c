import { ENERGY_FLAG_ORDER } from "./types.ts";
import type { EnergyFlag } from "./types.ts";

/**
 * A set of flags as an array in the fixed documented order, so two results
 * with the same flags serialise identically.
 *
 * @example
 * ```ts
 * sortEnergyFlags(new Set(["interpolated", "measured"])); // ["measured", "interpolated"]
 * ```
 */
export function sortEnergyFlags(flags: ReadonlySet<EnergyFlag>): EnergyFlag[] {
  return ENERGY_FLAG_ORDER.filter((flag) => flags.has(flag));
}
