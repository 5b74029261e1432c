import { InvalidInputError } from "../errors/index.ts";
import { parseDecimal } from "./parseDecimal.ts";
import { roundHalfEven } from "./roundHalfEven.ts";
import type { EmissionFactor, Rational } from "./types.ts";
import { GRAMS_PER_KILOWATT_HOUR_PER_UNIT } from "./types.ts";

export type SumEmissionsMilligramsCo2eErrorType = InvalidInputError;

/** One term of an emissions sum: energy in an hour (say) and that hour's factor. */
export interface EmissionsTerm {
  energyMilliWattHours: bigint;
  factor: EmissionFactor;
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function factorInGramsPerKilowattHour(factor: EmissionFactor, path: string): Rational {
  const unit = GRAMS_PER_KILOWATT_HOUR_PER_UNIT[factor.unit] as Rational | undefined;
  if (unit === undefined)
    throw new InvalidInputError(`${path}.unit`, `unknown emission factor unit ${factor.unit}`, {
      hints: [`Use one of ${Object.keys(GRAMS_PER_KILOWATT_HOUR_PER_UNIT).join(", ")}.`],
    });
  const { value } = factor;
  const rational =
    typeof value === "string"
      ? parseDecimal(value, `${path}.value`)
      : typeof value === "bigint"
        ? { numerator: value, denominator: 1n }
        : value;
  if (rational.denominator <= 0n)
    throw new InvalidInputError(`${path}.value`, "denominator must be positive");
  if (rational.numerator < 0n)
    throw new InvalidInputError(`${path}.value`, "an emission factor cannot be negative");
  return {
    numerator: rational.numerator * unit.numerator,
    denominator: rational.denominator * unit.denominator,
  };
}

/**
 * Σ energyᵢ × factorᵢ in integer milligrams CO2e, summed exactly and rounded
 * half to even once, at the end. Use it for a container or job spanning hours
 * with different grid factors: rounding per hour and then summing would let
 * rounding errors add up.
 *
 * mg = mWh × f(g/kWh) × 1000 mg/g ÷ 1,000,000 mWh/kWh = mWh × f / 1000.
 * Energy may be negative (net export); a factor may not.
 *
 * @throws {InvalidInputError} with `path` `terms[i].factor…` for a malformed or negative factor.
 * @example
 * ```ts
 * sumEmissionsMilligramsCo2e([
 *   { energyMilliWattHours: 1_000_000n, factor: { value: "200", unit: "g/kWh" } },
 *   { energyMilliWattHours: 2_000_000n, factor: { value: "0.1", unit: "kg/MWh" } },
 * ]); // 200000n + 200n = 200200n
 * ```
 */
export function sumEmissionsMilligramsCo2e(terms: readonly EmissionsTerm[]): bigint {
  // Exact running sum as numerator / denominator (in mg), reduced as it goes so
  // the bigints stay as small as the distinct factor denominators allow.
  let numerator = 0n;
  let denominator = 1n;
  terms.forEach((term, index) => {
    const factor = factorInGramsPerKilowattHour(term.factor, `terms[${index}].factor`);
    const termNumerator = term.energyMilliWattHours * factor.numerator;
    const termDenominator = factor.denominator * 1_000n;
    numerator = numerator * termDenominator + termNumerator * denominator;
    denominator *= termDenominator;
    const divisor = gcd(numerator, denominator);
    if (divisor > 1n) {
      numerator /= divisor;
      denominator /= divisor;
    }
  });
  return roundHalfEven(numerator, denominator);
}
