import { InvalidInputError } from "../errors/index.ts";

/**
 * Checks a half-open period [startMs, endMs): both non-negative safe integers
 * (Unix ms) and end after start.
 *
 * @throws {InvalidInputError} naming `startMs` or `endMs`.
 * @example
 * ```ts
 * validatePeriod(0, 900_000); // ok
 * validatePeriod(900_000, 900_000); // throws, path "endMs"
 * ```
 */
export function validatePeriod(startMs: number, endMs: number): void {
  if (!Number.isSafeInteger(startMs) || startMs < 0) {
    throw new InvalidInputError("startMs", `not a non-negative integer: ${startMs}`);
  }
  if (!Number.isSafeInteger(endMs) || endMs < 0) {
    throw new InvalidInputError("endMs", `not a non-negative integer: ${endMs}`);
  }
  if (endMs <= startMs) {
    throw new InvalidInputError(
      "endMs",
      `${endMs} is not after startMs ${startMs} (periods are half-open [start, end))`,
    );
  }
}
