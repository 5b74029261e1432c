import type { InvalidInputError } from "../errors/index.ts";
import { exactIntegerOf } from "./exactIntegerOf.ts";
import type { EnergyUnit } from "./types.ts";
import { MILLIWATT_HOURS_PER_UNIT } from "./types.ts";

export type EnergyToMilliWattHoursErrorType = InvalidInputError;

/**
 * Converts an energy amount to integer milliwatt-hours, exactly. Decimals come
 * as strings (a meter's "001234.567" kWh register), never as floats. An amount
 * finer than 1 mWh is refused: the caller decides how to round, not this
 * function.
 *
 * @param path - how an error names the value (default `energy`).
 * @throws {InvalidInputError} when the amount is malformed or not a whole number of mWh.
 * @example
 * ```ts
 * energyToMilliWattHours("001234.567", "kWh"); // 1234567000n
 * energyToMilliWattHours(12n, "Wh"); // 12000n
 * ```
 */
export function energyToMilliWattHours(
  amount: string | bigint | number,
  unit: EnergyUnit,
  path = "energy",
): bigint {
  return exactIntegerOf(amount, MILLIWATT_HOURS_PER_UNIT[unit], "mWh", path);
}
