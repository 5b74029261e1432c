/**
 * numerator/denominator (non-negative) as a plain decimal string: exact when it terminates within
 * 12 places, else rounded half to even at 6 places, and says which.
 *
 * @example
 * ```ts
 * rationalToDecimal(381n, 2n); // { text: "190.5", rounded: false }
 * rationalToDecimal(1n, 3n); // { text: "0.333333", rounded: true }
 * ```
 */
export function rationalToDecimal(
  numerator: bigint,
  denominator: bigint,
): { text: string; rounded: boolean } {
  for (let places = 0; places <= 12; places += 1) {
    const scaled = numerator * 10n ** BigInt(places);
    if (scaled % denominator === 0n)
      return { text: formatScaled(scaled / denominator, places), rounded: false };
  }
  const scaled = numerator * 1_000_000n;
  const quotient = scaled / denominator;
  const twice = (scaled % denominator) * 2n;
  const roundedValue =
    twice > denominator || (twice === denominator && quotient % 2n === 1n)
      ? quotient + 1n
      : quotient;
  return { text: formatScaled(roundedValue, 6), rounded: true };
}

function formatScaled(value: bigint, places: number): string {
  if (places === 0) return value.toString();
  const digits = value.toString().padStart(places + 1, "0");
  const whole = digits.slice(0, -places);
  const fraction = digits.slice(-places).replace(/0+$/u, "");
  return fraction === "" ? whole : `${whole}.${fraction}`;
}
