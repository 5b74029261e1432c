import { InvalidInputError } from "../errors/index.ts";

export interface DivideRoundHalfEvenParameters {
  numerator: bigint;
  denominator: bigint;
}
export type DivideRoundHalfEvenReturnType = bigint;
export type DivideRoundHalfEvenErrorType = InvalidInputError;

/**
 * numerator / denominator rounded to the nearest integer, ties to the even
 * neighbour ("banker's rounding"). Used once, at the final step of an emissions
 * figure: ties to even carry no upward or downward bias when many figures are
 * summed, unlike half-up.
 *
 * @throws {InvalidInputError} when the denominator is not positive.
 * @example
 * ```ts
 * divideRoundHalfEven({ numerator: 5n, denominator: 2n }); // 2n (2.5 → 2)
 * divideRoundHalfEven({ numerator: 7n, denominator: 2n }); // 4n (3.5 → 4)
 * divideRoundHalfEven({ numerator: -7n, denominator: 2n }); // -4n
 * ```
 */
export function divideRoundHalfEven({
  numerator,
  denominator,
}: DivideRoundHalfEvenParameters): DivideRoundHalfEvenReturnType {
  if (denominator <= 0n) {
    throw new InvalidInputError("denominator", `must be positive, got ${denominator}`);
  }
  // Work on the magnitude so the rule is symmetric around zero.
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const twiceRemainder = 2n * (magnitude % denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}
