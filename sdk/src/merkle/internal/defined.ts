import { InvariantError } from "../../errors/index.ts";

/**
 * `value`, or an InvariantError when it is undefined: for indexed reads that
 * are in bounds by construction (noUncheckedIndexedAccess cannot see that).
 */
export function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new InvariantError("index out of bounds in a Merkle tree");
  return value;
}
