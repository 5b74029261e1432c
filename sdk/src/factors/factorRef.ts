import { keccak256 } from "viem";
import type { Hex } from "viem";
import { canonicalJsonBytes } from "../json/index.ts";
import type { EmissionFactorRecord } from "./types.ts";

export type FactorRefReturnType = Hex;

/**
 * The reference of one emission factor: keccak256 of the UTF-8 bytes of its
 * RFC 8785 (JCS) canonical JSON. Every field takes part (source, version,
 * region, period, unit, value, kind, citation, licence), so changing any of
 * them changes the reference. A container that used one factor carries this
 * as its header's `factorRef`.
 *
 * @example
 * ```ts
 * const ref = factorRef(dataset.factors[0]); // "0x…" (32 bytes)
 * ```
 */
export function factorRef(factor: EmissionFactorRecord): FactorRefReturnType {
  return keccak256(canonicalJsonBytes(factor));
}
