import { toBigIntInteger } from "./toBigIntInteger.ts";

/**
 * Whole kilowatt-hours to milliwatt-hours (× 10^6), exact. For fractional kWh
 * use `energyToMilliWattHours("1.25", "kWh")`.
 *
 * @throws {InvalidInputError} when a number is not a safe integer.
 * @example
 * ```ts
 * kilowattHoursToMilliWattHours(3n); // 3000000n
 * ```
 */
export function kilowattHoursToMilliWattHours(kilowattHours: bigint | number): bigint {
  return toBigIntInteger(kilowattHours, "kilowattHours") * 1_000_000n;
}
