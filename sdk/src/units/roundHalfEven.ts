import { InvalidInputError } from "../errors/index.ts";

export type RoundHalfEvenErrorType = InvalidInputError;

/**
 * Rounds numerator/denominator to the nearest integer, ties to the even
 * neighbour (banker's rounding, IEEE 754's default). Unbiased: over many
 * values the ties round up as often as down, so rounded parts do not drift
 * from their exact total. The only rounding step in the sdk's unit math; it is
 * applied once, to the final exact result (see docs/formats.md, "Units and
 * rounding").
 *
 * @throws {InvalidInputError} when the denominator is not positive.
 * @example
 * ```ts
 * roundHalfEven(5n, 2n); // 2n  (2.5 -> 2)
 * roundHalfEven(7n, 2n); // 4n  (3.5 -> 4)
 * roundHalfEven(-5n, 2n); // -2n
 * ```
 */
export function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n)
    throw new InvalidInputError("denominator", `must be positive, got ${denominator}`);
  // bigint division truncates toward zero; work on the magnitude, then restore the sign.
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const quotient = magnitude / denominator;
  const twiceRemainder = (magnitude % denominator) * 2n;
  const rounded =
    twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)
      ? quotient + 1n
      : quotient;
  return negative ? -rounded : rounded;
}
