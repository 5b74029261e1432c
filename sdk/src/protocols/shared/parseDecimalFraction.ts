/** A decimal number as an exact fraction: `numerator / 10^decimals`. */
export interface DecimalFraction {
  numerator: bigint;
  decimals: number;
}

/**
 * Reads a plain decimal (`"0.1"`, `"-12.50"`, `"1e-3"`, `"2.5E+2"`) as an
 * exact fraction over a power of ten, so register scales and JSON numbers
 * are multiplied without binary floating point. The exponent form is
 * accepted because `Number#toString` prints tiny and huge values that way.
 *
 * @returns the fraction, or undefined on anything else (hex, `NaN`, spaces, empty).
 * @example
 * ```ts
 * parseDecimalFraction("0.01"); // { numerator: 1n, decimals: 2 }
 * parseDecimalFraction("1.5e3"); // { numerator: 1500n, decimals: 0 }
 * ```
 */
export function parseDecimalFraction(text: string): DecimalFraction | undefined {
  const match = /^([+-]?)(\d{1,40})(?:\.(\d{1,40}))?(?:[eE]([+-]?\d{1,3}))?$/.exec(text);
  if (match === null) return undefined;
  const sign = match[1] === "-" ? -1n : 1n;
  const fraction = match[3] ?? "";
  const exponent = Number(match[4] ?? "0");
  let numerator = sign * BigInt((match[2] ?? "0") + fraction);
  let decimals = fraction.length - exponent;
  if (decimals < 0) {
    numerator *= 10n ** BigInt(-decimals);
    decimals = 0;
  }
  // Bounded so a hostile "1e-999" cannot ask for a 10^999 divisor downstream.
  if (decimals > 60) return undefined;
  return { numerator, decimals };
}
