import { type Hex, encodeAbiParameters, isHex, keccak256, size } from "viem";
import { InvalidInputError } from "../errors/index.ts";

export type DeriveJobIdErrorType = InvalidInputError;

export interface DeriveJobIdParameters {
  /** The site the job runs at (bytes32). */
  siteId: Hex;
  /** The manufacturer's own job reference ("WO-2026-0042"), 1 to 64 characters, as typed. */
  reference: string;
}

/** Longest reference accepted: fits an SMS word and a work-order number with room to spare. */
export const MAX_JOB_REFERENCE_LENGTH = 64;

/**
 * The on-chain job id of a manufacturer's job reference at a site:
 * `keccak256(abi.encode(siteId, reference))`. Every channel (wallet, portal,
 * API, SMS, relay) derives it the same way, so the same work order stamped
 * from two channels names the same job, and the same reference at two sites
 * names two jobs. The reference is used exactly as given (trimmed by the
 * caller if it wants), so "wo-1" and "WO-1" are different jobs.
 *
 * @throws {InvalidInputError} for a malformed site id or an empty or over-long reference.
 * @example
 * ```ts
 * const jobId = deriveJobId({ siteId, reference: "WO-2026-0042" });
 * ```
 */
export function deriveJobId(parameters: DeriveJobIdParameters): Hex {
  const { siteId, reference } = parameters;
  if (!isHex(siteId, { strict: true }) || size(siteId) !== 32)
    throw new InvalidInputError("siteId", "must be 0x and 64 hex digits");
  if (reference.length === 0 || reference.length > MAX_JOB_REFERENCE_LENGTH)
    throw new InvalidInputError(
      "reference",
      `must be 1 to ${MAX_JOB_REFERENCE_LENGTH} characters, got ${reference.length}`,
    );
  return keccak256(
    encodeAbiParameters([{ type: "bytes32" }, { type: "string" }], [siteId, reference]),
  );
}
