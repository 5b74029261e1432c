import { toBigIntInteger } from "./toBigIntInteger.ts";

/**
 * Unix seconds (as read from chain) to Unix milliseconds, exact.
 *
 * @throws {InvalidInputError} when a number is not a safe integer.
 * @example
 * ```ts
 * secondsToMs(1_700_000_000n); // 1700000000000n
 * ```
 */
export function secondsToMs(timestampSeconds: bigint | number): bigint {
  return toBigIntInteger(timestampSeconds, "timestampSeconds") * 1_000n;
}
