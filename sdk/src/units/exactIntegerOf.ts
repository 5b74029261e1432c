import { InvalidInputError } from "../errors/index.ts";
import { parseDecimal } from "./parseDecimal.ts";
import { toBigIntInteger } from "./toBigIntInteger.ts";

export type ExactIntegerOfErrorType = InvalidInputError;

/**
 * `amount × scale` as an integer, when it is one exactly. Used to bring a value
 * in a larger unit (kWh, W) to the stored integer unit (mWh, mW): a value finer
 * than the stored unit is refused, never rounded away silently.
 *
 * @param amount - a decimal string, a bigint, or a safe-integer number.
 * @param scale - how many stored units one input unit is.
 * @param storedUnit - the stored unit's name, for the error message.
 * @throws {InvalidInputError} when the result is not a whole number of stored units.
 * @example
 * ```ts
 * exactIntegerOf("1.5", 1000n, "mWh", "energy"); // 1500n
 * exactIntegerOf("0.0005", 1000n, "mWh", "energy"); // throws: 0.5 mWh is not whole
 * ```
 */
export function exactIntegerOf(
  amount: string | bigint | number,
  scale: bigint,
  storedUnit: string,
  path: string,
): bigint {
  if (typeof amount !== "string") return toBigIntInteger(amount, path) * scale;
  const { numerator, denominator } = parseDecimal(amount, path);
  const scaled = numerator * scale;
  if (scaled % denominator !== 0n)
    throw new InvalidInputError(path, `${amount} is not a whole number of ${storedUnit}`, {
      hints: [`Round the value to whole ${storedUnit} at its source, with a stated rule.`],
    });
  return scaled / denominator;
}
