import { InvalidInputError } from "../errors/index.ts";

export type ApportionByWeightsReturnType = bigint[];
export type ApportionByWeightsErrorType = InvalidInputError;

/**
 * Splits an integer total into integer shares proportional to the weights
 * that sum exactly to the total (largest-remainder method; ties go to the
 * lower index). Use it to split a rounded figure, e.g. an hour's emissions in
 * mg among the jobs that used the hour's energy, so that the shares add up to
 * the figure that was anchored instead of drifting by rounding.
 *
 * @throws {InvalidInputError} for a negative total or weight, or weights that are all zero
 *   while the total is not.
 * @example
 * ```ts
 * apportionByWeights(10n, [1n, 1n, 1n]); // [4n, 3n, 3n]
 * ```
 */
export function apportionByWeights(
  total: bigint,
  weights: readonly bigint[],
): ApportionByWeightsReturnType {
  if (total < 0n) throw new InvalidInputError("total", `must not be negative, got ${total}`);
  let weightSum = 0n;
  weights.forEach((weight, index) => {
    if (weight < 0n)
      throw new InvalidInputError(`weights[${index}]`, `must not be negative, got ${weight}`);
    weightSum += weight;
  });
  if (weightSum === 0n) {
    if (total === 0n) return weights.map(() => 0n);
    throw new InvalidInputError("weights", "all zero, cannot apportion a non-zero total");
  }
  const shares = weights.map((weight) => (total * weight) / weightSum);
  const remainders = weights.map((weight, index) => ({
    index,
    remainder: (total * weight) % weightSum,
  }));
  let left = total - shares.reduce((sum, share) => sum + share, 0n);
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (left === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return shares;
}
