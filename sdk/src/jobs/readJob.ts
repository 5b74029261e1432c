import type { Address, Hex, PublicClient } from "viem";
import { jobStampsAbi } from "../contracts/generated/abis.ts";

/** A job's on-chain slot. Times are Unix seconds; zero means "not yet". */
export interface OnChainJob {
  startedAt: bigint;
  stoppedAt: bigint;
  units: bigint;
  /** `bytes8(keccak256(abi.encode(productId)))`. */
  productTag: Hex;
  state: "unknown" | "running" | "stopped";
}

export interface ReadJobParameters {
  publicClient: PublicClient;
  address: Address;
  siteId: Hex;
  jobId: Hex;
  blockNumber?: bigint;
}

/**
 * Reads a job's slot from JobStamps and names its state.
 *
 * @example
 * ```ts
 * const job = await readJob({ publicClient, address, siteId, jobId });
 * if (job.state === "running") …
 * ```
 */
export async function readJob(parameters: ReadJobParameters): Promise<OnChainJob> {
  const slot = await parameters.publicClient.readContract({
    address: parameters.address,
    abi: jobStampsAbi,
    functionName: "job",
    args: [parameters.siteId, parameters.jobId],
    ...(parameters.blockNumber === undefined ? {} : { blockNumber: parameters.blockNumber }),
  });
  const state = slot.startedAt === 0n ? "unknown" : slot.stoppedAt === 0n ? "running" : "stopped";
  return {
    startedAt: slot.startedAt,
    stoppedAt: slot.stoppedAt,
    units: slot.units,
    productTag: slot.productTag,
    state,
  };
}
