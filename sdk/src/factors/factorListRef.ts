import { keccak256 } from "viem";
import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import { factorRef } from "./factorRef.ts";
import type { EmissionFactorRecord } from "./types.ts";

export type FactorListRefReturnType = Hex;

/**
 * The `factorRef` of a container: for one distinct factor, factorRef of that
 * factor; for several (hourly factors, a year boundary), keccak256 of the JCS
 * bytes of the array of distinct factors in order of first use. An auditor
 * rebuilds it from the per-hour factors listed in the container document.
 *
 * @throws {InvalidInputError} when the list is empty.
 * @example
 * ```ts
 * factorListRef([f2025, f2025]); // === factorRef(f2025)
 * factorListRef([f2024, f2025]); // keccak256(JCS([f2024, f2025]))
 * ```
 */
export function factorListRef(factors: readonly EmissionFactorRecord[]): FactorListRefReturnType {
  const distinct: EmissionFactorRecord[] = [];
  const seen = new Set<Hex>();
  for (const factor of factors) {
    const ref = factorRef(factor);
    if (seen.has(ref)) continue;
    seen.add(ref);
    distinct.push(factor);
  }
  const [only] = distinct;
  if (only === undefined) throw new InvalidInputError("factors", "needs at least one factor");
  return distinct.length === 1 ? factorRef(only) : keccak256(canonicalJsonBytes(distinct));
}
