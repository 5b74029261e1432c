import { toBigIntInteger } from "./toBigIntInteger.ts";

/**
 * Whole watt-hours to milliwatt-hours (× 1000), exact.
 *
 * @throws {InvalidInputError} when a number is not a safe integer.
 * @example
 * ```ts
 * wattHoursToMilliWattHours(1500n); // 1500000n
 * ```
 */
export function wattHoursToMilliWattHours(wattHours: bigint | number): bigint {
  return toBigIntInteger(wattHours, "wattHours") * 1_000n;
}
