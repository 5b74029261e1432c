import { encodeFunctionData, keccak256 } from "viem";
import type { Logger } from "pino";
import {
  buildContainerBatchTypedData,
  eip712Domain,
  signEip712TypedData,
} from "@energy-intelligence/sdk/eip712/index";
import type { ChainAccess } from "../chain/createChainAccess.ts";
import { dataContainersAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import { containerHeaderFromJson } from "../containers/containerHeaderJson.ts";
import type { AnchorBatchesRepository } from "../store/anchorBatchesRepository.ts";
import type { ContainerRecord, ContainersRepository } from "../store/containersRepository.ts";
import { backoffDelayMs } from "./backoff.ts";
import { accountSendQueue } from "../chain/accountSendQueue.ts";

/** Whether viem's error chain says the call reverted (as opposed to the node being unreachable). */
export function isRevert(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (
      current.name === "ContractFunctionRevertedError" ||
      current.name === "ExecutionRevertedError"
    )
      return true;
    if (/execution reverted|reverted with/iu.test(current.message)) return true;
  }
  return false;
}

export interface SubmitBatchParameters {
  chain: ChainAccess;
  containers: ContainersRepository;
  batches: AnchorBatchesRepository;
  logger: Logger;
  nowMs: number;
  maxBatchContainers: number;
  backoff: { initialMs: number; maxMs: number };
}

/** Gas headroom over the estimate: the estimate is exact for this state, 20 % covers a warmer or colder slot. */
const GAS_MARGIN_PERCENT = 120n;

/**
 * Step stored → submitted: one batch of one site's due containers, one oracle
 * EIP-712 signature over their headers, one anchorMany transaction. The
 * transaction is signed locally and recorded (hash, nonce, raw bytes) with the
 * containers' move to `submitted` in one SQLite transaction *before* it is
 * broadcast, so a crash at any point leaves either nothing or a transaction a
 * restart can look up by hash and re-send byte for byte.
 *
 * Containers that went back to `stored` after an earlier attempt are first
 * checked on chain (`exists`): one found there is confirmed by chain state,
 * never sent again. Returns the batch's ref, or undefined when nothing was due.
 */
export async function submitBatch(parameters: SubmitBatchParameters): Promise<number | undefined> {
  const { chain, containers, batches, logger, nowMs } = parameters;
  const due = containers.due("stored", nowMs, parameters.maxBatchContainers);
  const siteId = due[0]?.siteId;
  if (siteId === undefined) return undefined;
  let selected: ContainerRecord[] = due.filter((container) => container.siteId === siteId);

  const retried = selected.filter((container) => container.attempts > 0);
  if (retried.length > 0) {
    const head = Number(await chain.publicClient.getBlockNumber());
    const onChain = new Set<number>();
    for (const container of retried) {
      const commitment = await chain.publicClient.readContract({
        address: chain.containersAddress,
        abi: dataContainersAbi,
        functionName: "commitmentOf",
        args: [BigInt(container.containerId)],
      });
      if (BigInt(commitment) === 0n) continue;
      onChain.add(container.containerRef);
      if (commitment !== container.headerHash) {
        logger.error(
          { containerRef: container.containerRef, onChain: commitment, ours: container.headerHash },
          "a different header is anchored for this container id",
        );
      }
    }
    if (onChain.size > 0) {
      containers.markConfirmed([...onChain], head, Date.now());
      logger.info(
        { containerRefs: [...onChain] },
        "containers found on chain; confirmed without resubmitting",
      );
      selected = selected.filter((container) => !onChain.has(container.containerRef));
    }
  }
  if (selected.length === 0) return undefined;

  const headers = selected.map((container) => containerHeaderFromJson(container.header));
  const typedData = buildContainerBatchTypedData({
    domain: eip712Domain({ chainId: chain.chainId, verifyingContract: chain.containersAddress }),
    containers: headers,
  });
  const signature = await signEip712TypedData({ signer: chain.account, typedData });
  const data = encodeFunctionData({
    abi: dataContainersAbi,
    functionName: "anchorMany",
    args: [headers, chain.account.address, signature],
  });
  // Nonce read to broadcast is one critical section per account: the stamp submitter and
  // the lot minter may send with this key too (oracle/src/chain/accountSendQueue.ts).
  const sent = await accountSendQueue.run(
    { chainId: chain.chainId, address: chain.account.address },
    async () => {
      const nonce = await chain.publicClient.getTransactionCount({
        address: chain.account.address,
        blockTag: "pending",
      });
      let estimate: bigint;
      try {
        estimate = await chain.publicClient.estimateGas({
          account: chain.account.address,
          to: chain.containersAddress,
          data,
        });
      } catch (error) {
        // A revert (signer not an oracle of the site, …) is the batch's problem, not an
        // outage: the containers back off on their own and the chain stays "up".
        if (!isRevert(error)) throw error;
        const message =
          error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
        for (const container of selected) {
          containers.recordFailure(
            container.containerRef,
            `chain: anchorMany would revert: ${message}`,
            nowMs + backoffDelayMs(container.attempts, parameters.backoff),
          );
        }
        logger.error(
          { err: message, containers: selected.length },
          "anchor batch would revert; containers back off",
        );
        return undefined;
      }
      const gas = (estimate * GAS_MARGIN_PERCENT) / 100n;
      const fees = await chain.publicClient.estimateFeesPerGas();
      const raw = await chain.account.signTransaction({
        chainId: chain.chainId,
        type: "eip1559",
        to: chain.containersAddress,
        data,
        gas,
        nonce,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      });
      const txHash = keccak256(raw);
      const batchRef = batches.create(
        {
          siteId,
          signer: chain.account.address,
          signature,
          containerRefs: selected.map((container) => container.containerRef),
        },
        {
          txHash,
          nonce,
          raw,
          maxFeePerGas: fees.maxFeePerGas,
          maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        },
        Date.now(),
      );
      await chain.publicClient.sendRawTransaction({ serializedTransaction: raw });
      batches.markBroadcast(txHash, Date.now());
      return { batchRef, txHash, nonce };
    },
  );
  if (sent === undefined) return undefined;
  const { batchRef, txHash, nonce } = sent;
  logger.info({ batchRef, txHash, nonce, containers: selected.length }, "anchor batch submitted");
  return batchRef;
}
