import { InvalidInputError } from "../errors/index.ts";

const MG_PER_KG = 1_000_000n;

/**
 * Whole milligrams as a PACT Decimal string of kilograms: exact (a milligram is
 * 10⁻⁶ kg, so six fraction digits always suffice), trailing zeros dropped.
 * `1234567n` → `"1.234567"`, `2500000n` → `"2.5"`, `0n` → `"0"`.
 */
export function milligramsToKilogramDecimal(milligrams: bigint): string {
  if (milligrams < 0n) throw new InvalidInputError("milligrams", "must not be negative");
  const whole = milligrams / MG_PER_KG;
  const fraction = (milligrams % MG_PER_KG).toString().padStart(6, "0").replace(/0+$/u, "");
  return fraction === "" ? whole.toString() : `${whole}.${fraction}`;
}

/**
 * Divides and rounds up (toward +∞) on non-negative integers: the rounding of
 * a declared per-unit footprint, so that the declared figure is never below
 * the measured one (docs/standards.md, "Rounding").
 */
export function divideRoundingUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new InvalidInputError("denominator", "must be positive");
  if (numerator < 0n) throw new InvalidInputError("numerator", "must not be negative");
  return (numerator + denominator - 1n) / denominator;
}

/**
 * `part / whole` as a percentage with one decimal, rounded down (a share of
 * primary data is never overstated). `whole` 0 gives `"0"`.
 */
export function percentageRoundingDown(part: bigint, whole: bigint): string {
  if (whole <= 0n) return "0";
  const tenths = (part * 1000n) / whole;
  const text = `${tenths / 10n}.${tenths % 10n}`;
  return text.endsWith(".0") ? text.slice(0, -2) : text;
}
