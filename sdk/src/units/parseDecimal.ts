import { InvalidInputError } from "../errors/index.ts";
import type { Rational } from "./types.ts";

export type ParseDecimalErrorType = InvalidInputError;

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/u;

/**
 * Parses a plain decimal string ("-12.0345") into an exact rational
 * (-120345/10000), so values such as meter registers and emission factors are
 * never routed through a float. No exponents, no thousands separators, no
 * leading or trailing dot.
 *
 * @param path - how an error names the value.
 * @throws {InvalidInputError} when the text is not a plain decimal.
 * @example
 * ```ts
 * parseDecimal("380.5", "factor.value"); // { numerator: 3805n, denominator: 10n }
 * ```
 */
export function parseDecimal(text: string, path: string): Rational {
  const match = DECIMAL.exec(text);
  if (match === null)
    throw new InvalidInputError(path, `${JSON.stringify(text)} is not a plain decimal number`, {
      hints: ['Write digits with an optional sign and decimal point, e.g. "1234.567".'],
    });
  const [, sign = "", whole = "", fraction = ""] = match;
  const magnitude = BigInt(whole + fraction);
  return {
    numerator: sign === "-" ? -magnitude : magnitude,
    denominator: 10n ** BigInt(fraction.length),
  };
}
