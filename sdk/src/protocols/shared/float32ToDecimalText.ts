/**
 * The shortest decimal text that reads back as the same float32. A meter
 * that stores 1234.56 kWh in a float32 register holds 1234.5600585…; the
 * shortest round-trip text ("1234.56") is the value it meant, and the one a
 * person reads on its display. Digits beyond float32's ~7 significant
 * figures are never invented.
 *
 * @returns the text, or undefined for NaN and ±Infinity (no reading).
 * @example
 * ```ts
 * float32ToDecimalText(Math.fround(1234.56)); // "1234.56"
 * ```
 */
export function float32ToDecimalText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const single = Math.fround(value);
  for (let digits = 1; digits <= 9; digits += 1) {
    const text = single.toPrecision(digits);
    if (Math.fround(Number(text)) === single) return String(Number(text));
  }
  return String(single);
}
