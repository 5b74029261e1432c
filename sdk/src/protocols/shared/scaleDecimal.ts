/**
 * Turns a decimal string such as `"123456.789"` into an exact integer scaled
 * by 10^decimals (`scaleDecimal("123456.789", 6)` is 123456789000n), so
 * meter registers never pass through binary floating point. Digits past the
 * requested precision are refused rather than rounded: a meter that prints
 * more precision than we keep is a configuration mistake to surface.
 *
 * @returns the scaled integer, or undefined when the text is not a plain
 *   decimal (optional sign, digits, optional fraction) or has too many digits.
 * @example
 * ```ts
 * scaleDecimal("01.193", 6); // 1193000n (kW → mW)
 * scaleDecimal("-0.5", 3); // -500n
 * scaleDecimal("1e3", 3); // undefined
 * ```
 */
export function scaleDecimal(text: string, decimals: number): bigint | undefined {
  const match = /^([+-]?)(\d{1,30})(?:\.(\d{1,30}))?$/.exec(text);
  if (match === null) return undefined;
  const sign = match[1] === "-" ? -1n : 1n;
  const whole = match[2] ?? "0";
  const fraction = (match[3] ?? "").replace(/0+$/, "");
  if (fraction.length > decimals) return undefined;
  const digits = whole + fraction.padEnd(decimals, "0");
  return sign * BigInt(digits);
}
