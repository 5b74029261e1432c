import type { Account, Address, Hex, PublicClient, WalletClient } from "viem";
import { jobStampsAbi } from "../contracts/generated/abis.ts";
import type { JobStampsError } from "./JobStampsError.ts";
import { decodeJobStampsError } from "./decodeJobStampsError.ts";

export type StartJobErrorType = JobStampsError;

export interface StartJobCallParameters {
  /** The JobStamps contract (deployments/<chainId>.json). */
  address: Address;
  siteId: Hex;
  jobId: Hex;
  /** Machines of the site the job runs on, at least one. */
  machineIds: readonly Hex[];
  productId: Hex;
}

export interface StartJobParameters extends StartJobCallParameters {
  publicClient: PublicClient;
  /** The operator's wallet: a wallet client with the operator's account, or pass `account`. */
  walletClient: WalletClient;
  account?: Account | Address;
}

/**
 * The `startJob` call of the wallet channel (channel 0), as wagmi's
 * `useSimulateContract` / `useWriteContract` and viem's `simulateContract` take it.
 *
 * @example
 * ```ts
 * const { request } = await publicClient.simulateContract({ ...startJobCall({ address, siteId, jobId, machineIds, productId }), account });
 * ```
 */
export function startJobCall(parameters: StartJobCallParameters) {
  return {
    address: parameters.address,
    abi: jobStampsAbi,
    functionName: "startJob",
    args: [parameters.siteId, parameters.jobId, parameters.machineIds, parameters.productId],
  } as const;
}

/**
 * Starts a job from an operator's wallet: simulates `startJob` first, so a
 * refusal (not an operator, job already started, no machines) surfaces as a
 * readable {@link JobStampsError} before anything is signed or paid, then
 * sends it. The job's time is the block time of the transaction.
 *
 * @returns the transaction hash.
 * @throws {JobStampsError} when the contract would revert; other errors (network) unchanged.
 * @example
 * ```ts
 * const hash = await startJob({ publicClient, walletClient, address, siteId, jobId: deriveJobId({ siteId, reference: "WO-42" }), machineIds, productId });
 * await publicClient.waitForTransactionReceipt({ hash });
 * ```
 */
export async function startJob(parameters: StartJobParameters): Promise<Hex> {
  const account = parameters.account ?? parameters.walletClient.account;
  if (account === undefined) throw new TypeError("startJob: the wallet client has no account");
  try {
    const { request } = await parameters.publicClient.simulateContract({
      ...startJobCall(parameters),
      account,
    });
    return await parameters.walletClient.writeContract({
      ...request,
      account,
      chain: parameters.walletClient.chain ?? parameters.publicClient.chain,
    });
  } catch (error) {
    throw decodeJobStampsError(error) ?? error;
  }
}
