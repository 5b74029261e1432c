import { InvariantError } from "../errors/index.ts";

/**
 * `array[index]` for an index the caller has already bounds-checked. With
 * `noUncheckedIndexedAccess` the type includes undefined; this narrows it and,
 * should the invariant ever break, fails loudly instead of computing on
 * undefined.
 *
 * @throws {InvariantError} when the index is out of range.
 * @example
 * ```ts
 * elementAt([1n, 2n], 1); // 2n
 * ```
 */
export function elementAt<T>(array: readonly T[], index: number): T {
  if (index < 0 || index >= array.length) {
    throw new InvariantError(`index ${index} out of range 0..${array.length - 1}`);
  }
  return array[index] as T;
}
