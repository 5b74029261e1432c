import type { ExactDecimal } from "./parseExactDecimal.ts";

export type FormatExactDecimalReturnType = string;

/**
 * Writes an exact decimal back as a plain decimal string with trailing zeros
 * of the fraction removed (`3500/10^3` → `"3.5"`), the inverse of
 * parseExactDecimal for canonical strings.
 *
 * @example
 * ```ts
 * formatExactDecimal({ coefficient: 349946513455n, scale: 9 }); // "349.946513455"
 * ```
 */
export function formatExactDecimal({
  coefficient,
  scale,
}: ExactDecimal): FormatExactDecimalReturnType {
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString().padStart(scale + 1, "0");
  const integer = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  const body = fraction === "" ? integer : `${integer}.${fraction}`;
  return negative && body !== "0" ? `-${body}` : body;
}
