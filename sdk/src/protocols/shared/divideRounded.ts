/**
 * Integer division rounding half away from zero, the rule a meter's display
 * uses and the one docs/accounting.md states for unit conversion: the
 * error stays below half a unit of the result and is symmetric for imports
 * and exports.
 *
 * @example
 * ```ts
 * divideRounded(15n, 10n); // 2n
 * divideRounded(-15n, 10n); // -2n
 * ```
 */
export function divideRounded(numerator: bigint, divisor: bigint): bigint {
  if (divisor === 0n) throw new RangeError("division by zero");
  const negative = numerator < 0n !== divisor < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = divisor < 0n ? -divisor : divisor;
  const quotient = (n + d / 2n) / d;
  return negative ? -quotient : quotient;
}
