import type { Account, Address, Hex, PublicClient, WalletClient } from "viem";
import { jobStampsAbi } from "../contracts/generated/abis.ts";
import { InvalidInputError } from "../errors/index.ts";
import type { JobStampsError } from "./JobStampsError.ts";
import { decodeJobStampsError } from "./decodeJobStampsError.ts";

export type StopJobErrorType = JobStampsError | InvalidInputError;

const MAX_UINT64 = (1n << 64n) - 1n;

export interface StopJobCallParameters {
  /** The JobStamps contract (deployments/<chainId>.json). */
  address: Address;
  siteId: Hex;
  jobId: Hex;
  /** The product the job started with. */
  productId: Hex;
  /** Units produced, at least 1. */
  units: bigint;
}

export interface StopJobParameters extends StopJobCallParameters {
  publicClient: PublicClient;
  walletClient: WalletClient;
  account?: Account | Address;
}

/**
 * The `stopJob` call of the wallet channel, for wagmi or viem.
 *
 * @throws {InvalidInputError} for units outside 1..2^64-1 (zero is refused here, before the chain).
 * @example
 * ```ts
 * const { request } = await publicClient.simulateContract({ ...stopJobCall({ address, siteId, jobId, productId, units: 250n }), account });
 * ```
 */
export function stopJobCall(parameters: StopJobCallParameters) {
  if (parameters.units <= 0n || parameters.units > MAX_UINT64)
    throw new InvalidInputError(
      "units",
      `must be a whole number from 1 to ${MAX_UINT64}, got ${parameters.units}`,
      { hints: ["Give the number of units produced by the job."] },
    );
  return {
    address: parameters.address,
    abi: jobStampsAbi,
    functionName: "stopJob",
    args: [parameters.siteId, parameters.jobId, parameters.productId, parameters.units],
  } as const;
}

/**
 * Stops a job from an operator's wallet with the units produced: simulate, then
 * send. The stop's time is the block time.
 *
 * @returns the transaction hash.
 * @throws {JobStampsError} when the contract would revert (not started, already stopped, other product…).
 * @example
 * ```ts
 * const hash = await stopJob({ publicClient, walletClient, address, siteId, jobId, productId, units: 250n });
 * ```
 */
export async function stopJob(parameters: StopJobParameters): Promise<Hex> {
  const account = parameters.account ?? parameters.walletClient.account;
  if (account === undefined) throw new TypeError("stopJob: the wallet client has no account");
  const call = stopJobCall(parameters);
  try {
    const { request } = await parameters.publicClient.simulateContract({ ...call, account });
    return await parameters.walletClient.writeContract({
      ...request,
      account,
      chain: parameters.walletClient.chain ?? parameters.publicClient.chain,
    });
  } catch (error) {
    throw decodeJobStampsError(error) ?? error;
  }
}
