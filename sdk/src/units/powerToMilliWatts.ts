import type { InvalidInputError } from "../errors/index.ts";
import { exactIntegerOf } from "./exactIntegerOf.ts";
import type { PowerUnit } from "./types.ts";
import { MILLIWATTS_PER_UNIT } from "./types.ts";

export type PowerToMilliWattsErrorType = InvalidInputError;

/**
 * Converts a power amount to integer milliwatts, exactly (decimals as strings).
 *
 * @param path - how an error names the value (default `power`).
 * @throws {InvalidInputError} when the amount is malformed or not a whole number of mW.
 * @example
 * ```ts
 * powerToMilliWatts("2.35", "kW"); // 2350000n
 * powerToMilliWatts(230n, "W"); // 230000n
 * ```
 */
export function powerToMilliWatts(
  amount: string | bigint | number,
  unit: PowerUnit,
  path = "power",
): bigint {
  return exactIntegerOf(amount, MILLIWATTS_PER_UNIT[unit], "mW", path);
}
