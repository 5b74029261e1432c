import type { Account, Address, Hex, PublicClient, WalletClient } from "viem";
import { startJobCall } from "@energy-intelligence/sdk/jobs/startJob";
import { stopJobCall } from "@energy-intelligence/sdk/jobs/stopJob";
import { type WalletProblem, describeWalletError } from "./describeWalletError.ts";

/** Where a wallet stamp is, for the page to show. */
export type WalletStampState =
  | { step: "idle" }
  | { step: "checking" }
  | { step: "signing" }
  | { step: "pending"; hash: Hex }
  | { step: "confirmed"; hash: Hex; blockNumber: bigint }
  | { step: "failed"; problem: WalletProblem; hash?: Hex };

export type WalletStampAction =
  | { action: "start"; siteId: Hex; jobId: Hex; machineIds: readonly Hex[]; productId: Hex }
  | { action: "stop"; siteId: Hex; jobId: Hex; productId: Hex; units: bigint };

export interface RunWalletStampParameters {
  publicClient: PublicClient;
  walletClient: WalletClient;
  account: Account | Address;
  jobStamps: Address;
  /** The chain the dapp is configured for; the wallet must be on it. */
  chain: { id: number; name: string };
  stamp: WalletStampAction;
  onState: (state: WalletStampState) => void;
}

/**
 * Starts or stops a job from the operator's wallet (channel 0), reporting each
 * step: checking (the sdk's call simulated, so a refusal shows before anything
 * is signed), waiting for the signature, pending with its hash, confirmed with
 * its block, or failed with the reason in words.
 */
export async function runWalletStamp(
  parameters: RunWalletStampParameters,
): Promise<WalletStampState> {
  const { publicClient, walletClient, account, stamp, onState } = parameters;
  const context = { chainName: parameters.chain.name, chainId: parameters.chain.id };
  const report = (state: WalletStampState): WalletStampState => {
    onState(state);
    return state;
  };
  let hash: Hex | undefined;
  try {
    report({ step: "checking" });
    const walletChainId = await walletClient.getChainId();
    if (walletChainId !== parameters.chain.id)
      return report({
        step: "failed",
        problem: {
          kind: "wrong_network",
          title: `Your wallet is on chain ${walletChainId}, not ${parameters.chain.name} (chain ${parameters.chain.id}).`,
          hint: `Switch the wallet to ${parameters.chain.name}; nothing was sent.`,
        },
      });
    const chain = walletClient.chain ?? publicClient.chain;
    // Two branches, not a union of calls: viem types each call by its function name.
    if (stamp.action === "start") {
      const { request } = await publicClient.simulateContract({
        ...startJobCall({
          address: parameters.jobStamps,
          siteId: stamp.siteId,
          jobId: stamp.jobId,
          machineIds: stamp.machineIds,
          productId: stamp.productId,
        }),
        account,
      });
      report({ step: "signing" });
      hash = await walletClient.writeContract({ ...request, account, chain });
    } else {
      const { request } = await publicClient.simulateContract({
        ...stopJobCall({
          address: parameters.jobStamps,
          siteId: stamp.siteId,
          jobId: stamp.jobId,
          productId: stamp.productId,
          units: stamp.units,
        }),
        account,
      });
      report({ step: "signing" });
      hash = await walletClient.writeContract({ ...request, account, chain });
    }
    report({ step: "pending", hash });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success")
      return report({
        step: "failed",
        hash,
        problem: {
          kind: "contract",
          title: `The transaction was mined in block ${receipt.blockNumber} but reverted.`,
          hint: "Nothing was stamped; reload the page to see the job's state, then try again.",
        },
      });
    return report({ step: "confirmed", hash, blockNumber: receipt.blockNumber });
  } catch (error) {
    const problem = describeWalletError(error, context);
    return report({ step: "failed", problem, ...(hash === undefined ? {} : { hash }) });
  }
}
