import {
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
  encodeFunctionData,
  keccak256,
} from "viem";
import { stampManyCall } from "@energy-intelligence/sdk/jobs/index";
import type { StampRecord } from "./jobsRepository.ts";
import { signedStampOf } from "./signedStampOf.ts";

/** Gas headroom over the estimate: exact for this state, 20 % covers a warmer or colder slot. */
const GAS_MARGIN_PERCENT = 120n;

/**
 * Signs (does not send) one `stampMany` transaction of `stamps` at the
 * account's pending nonce, with estimated gas and fees, and returns the raw
 * bytes and their hash, so the caller can record the hash before broadcast.
 * Call it inside the account's send queue (oracle/src/chain/accountSendQueue.ts):
 * the nonce is only safe until this transaction is broadcast.
 *
 * @example
 * ```ts
 * const { raw, txHash } = await signStampManyTransaction({ client, account, chainId, jobStamps, stamps });
 * ```
 */
export async function signStampManyTransaction(parameters: {
  client: PublicClient;
  account: LocalAccount;
  chainId: number;
  jobStamps: Address;
  stamps: readonly StampRecord[];
}): Promise<{ raw: Hex; txHash: Hex }> {
  const { client, account, jobStamps } = parameters;
  const data = encodeFunctionData(
    stampManyCall({ address: jobStamps, stamps: parameters.stamps.map(signedStampOf) }),
  );
  const [nonce, estimate, fees] = await Promise.all([
    client.getTransactionCount({ address: account.address, blockTag: "pending" }),
    client.estimateGas({ account: account.address, to: jobStamps, data }),
    client.estimateFeesPerGas(),
  ]);
  const raw = await account.signTransaction({
    chainId: parameters.chainId,
    type: "eip1559",
    to: jobStamps,
    data,
    nonce,
    gas: (estimate * GAS_MARGIN_PERCENT) / 100n,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
  });
  return { raw, txHash: keccak256(raw) };
}
