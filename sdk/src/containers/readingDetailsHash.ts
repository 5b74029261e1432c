import { keccak256 } from "viem";
import type { Hex } from "viem";
import { canonicalJsonBytes } from "../json/index.ts";
import type { ReadingDetails } from "./containerDocumentSchema.ts";

export type ReadingDetailsHashReturnType = Hex;

/**
 * The `detailsHash` of a reading leaf: keccak256 of the JCS bytes of the
 * reading's details (how it was authenticated, and the optional power,
 * voltage, current, power factor and counter epoch). The leaf commits to them
 * without growing; a disclosed reading can be shown with or without them.
 *
 * @example
 * ```ts
 * readingDetailsHash({ authentication: "ed25519", powerMilliWatts: 1_500_000 }); // "0x…"
 * ```
 */
export function readingDetailsHash(details: ReadingDetails): ReadingDetailsHashReturnType {
  return keccak256(canonicalJsonBytes(details));
}
