import { InvalidInputError } from "../errors/index.ts";

/** An exact decimal number: value = coefficient / 10^scale. */
export interface ExactDecimal {
  coefficient: bigint;
  scale: number;
}
export type ParseExactDecimalReturnType = ExactDecimal;
export type ParseExactDecimalErrorType = InvalidInputError;

// Plain decimal notation only: no exponent, no sign on zero-padded junk, no
// thousands separators. Factors are published this way and must round-trip.
const DECIMAL = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Parses a decimal string such as `"349.946513455"` into an exact
 * coefficient and scale, so that factor arithmetic never passes through
 * binary floating point.
 *
 * @param text - the decimal, e.g. a factor's `value`.
 * @param path - where the text came from, named in the error.
 * @throws {InvalidInputError} when the text is not a plain decimal.
 * @example
 * ```ts
 * parseExactDecimal("0.177", "value"); // { coefficient: 177n, scale: 3 }
 * ```
 */
export function parseExactDecimal(text: string, path: string): ParseExactDecimalReturnType {
  const match = DECIMAL.exec(text);
  if (match === null) {
    throw new InvalidInputError(path, `not a plain decimal number: ${JSON.stringify(text)}`, {
      hints: ['Write factors as decimal strings, e.g. "349.9465" (no exponent, no separators).'],
    });
  }
  const [, sign = "", integer = "", fraction = ""] = match;
  const coefficient = BigInt(`${integer}${fraction}`);
  return { coefficient: sign === "-" ? -coefficient : coefficient, scale: fraction.length };
}
