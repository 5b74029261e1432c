import type { InvalidInputError } from "../errors/index.ts";
import { sumEmissionsMilligramsCo2e } from "./sumEmissionsMilligramsCo2e.ts";
import type { EmissionFactor } from "./types.ts";

export type EmissionsMilligramsCo2eErrorType = InvalidInputError;

/**
 * Emissions of an energy amount under one emission factor, in integer
 * milligrams CO2e: mWh × factor(g/kWh) / 1000, computed as an exact rational
 * and rounded half to even once, at the end.
 *
 * @throws {InvalidInputError} when the factor is malformed or negative.
 * @example
 * ```ts
 * // 1 kWh at 380.5 g/kWh = 380.5 g = 380500 mg
 * emissionsMilligramsCo2e(1_000_000n, { value: "380.5", unit: "g/kWh" }); // 380500n
 * // 1 mWh at 0.5 g/kWh = 0.0005 g = 0.5 mg -> 0 (tie to even)
 * emissionsMilligramsCo2e(1n, { value: "0.5", unit: "g/kWh" }); // 0n
 * ```
 */
export function emissionsMilligramsCo2e(
  energyMilliWattHours: bigint,
  factor: EmissionFactor,
): bigint {
  return sumEmissionsMilligramsCo2e([{ energyMilliWattHours, factor }]);
}
