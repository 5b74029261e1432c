import type { EnergyUnit } from "./types.ts";
import { MILLIWATT_HOURS_PER_UNIT } from "./types.ts";

/**
 * Milliwatt-hours as an exact decimal string in a display unit, with no
 * trailing zeros in the fraction. The inverse of energyToMilliWattHours for
 * strings; nothing is rounded.
 *
 * @example
 * ```ts
 * formatMilliWattHours(1234567000n, "kWh"); // "1234.567"
 * formatMilliWattHours(-5n, "Wh"); // "-0.005"
 * ```
 */
export function formatMilliWattHours(energyMilliWattHours: bigint, unit: EnergyUnit): string {
  const scale = MILLIWATT_HOURS_PER_UNIT[unit];
  const negative = energyMilliWattHours < 0n;
  const magnitude = negative ? -energyMilliWattHours : energyMilliWattHours;
  const digits = scale.toString().length - 1;
  const whole = (magnitude / scale).toString();
  const fraction = (magnitude % scale).toString().padStart(digits, "0").replace(/0+$/u, "");
  return `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}
