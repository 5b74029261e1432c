import { keccak256, parseEventLogs, type TransactionReceipt } from "viem";
import type { Logger } from "pino";
import { hashContainerHeader } from "@energy-intelligence/sdk/containers/hashContainerHeader";
import type { ChainAccess } from "../chain/createChainAccess.ts";
import { dataContainersAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import type {
  AnchorBatchRecord,
  AnchorBatchesRepository,
} from "../store/anchorBatchesRepository.ts";
import type { ContainersRepository } from "../store/containersRepository.ts";

export interface WatchBatchesParameters {
  chain: ChainAccess;
  containers: ContainersRepository;
  batches: AnchorBatchesRepository;
  logger: Logger;
  /** Blocks a batch's block must have on top of it (itself included) before its containers count as confirmed. */
  confirmations: number;
  /** An unmined transaction older than this is replaced by the same call with 25 % higher fees, same nonce. */
  replaceAfterMs: number;
  onConfirmed?: (batch: AnchorBatchRecord, containerCount: number) => void;
}

export interface WatchBatchesReturnType {
  /** Batches still waiting to be mined (the submitter sends no new batch while one is). */
  unmined: number;
  /** Batches mined but not yet deep enough. */
  mined: number;
}

const FEE_BUMP_PERCENT = 125n;

async function findReceipt(
  chain: ChainAccess,
  batch: AnchorBatchRecord,
): Promise<TransactionReceipt | undefined> {
  for (const transaction of batch.transactions) {
    try {
      const receipt: TransactionReceipt = await chain.publicClient.getTransactionReceipt({
        hash: transaction.txHash,
      });
      return receipt;
    } catch (error) {
      if (error instanceof Error && error.name === "TransactionReceiptNotFoundError") continue;
      throw error;
    }
  }
  return undefined;
}

async function isKnown(chain: ChainAccess, hash: `0x${string}`): Promise<boolean> {
  try {
    await chain.publicClient.getTransaction({ hash });
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === "TransactionNotFoundError") return false;
    throw error;
  }
}

async function broadcast(chain: ChainAccess, raw: `0x${string}`): Promise<void> {
  try {
    await chain.publicClient.sendRawTransaction({ serializedTransaction: raw });
  } catch (error) {
    // The node has it already, or the nonce moved on meanwhile: the next pass sees which.
    const text = error instanceof Error ? error.message : String(error);
    if (/already known|known transaction|nonce too low|nonce has already been used/iu.test(text))
      return;
    throw error;
  }
}

/**
 * Follows every open batch to a final state (oracle/README.md, "Anchoring"):
 *
 * - a receipt with status success: `mined`; once `confirmations` blocks deep,
 *   the block is re-read to make sure it is still canonical (a reorg sends the
 *   batch back to `submitted`) and the ContainersAnchored event's headers must
 *   hash to ours; then the batch and its containers are `confirmed`;
 * - no receipt, nonce not used yet: the transaction is pending (fee-bumped on the
 *   same nonce after `replaceAfterMs`) or gone from the node (dropped, a node
 *   restart, or a crash before broadcast): its recorded raw bytes are re-sent;
 * - no receipt, nonce used `confirmations` blocks deep by another transaction
 *   (replaced) or a reverted receipt: each container is looked up on chain;
 *   those that exist with our commitment are confirmed, the others go back to
 *   `stored` for a new batch. Never a second container for the same period:
 *   the contract refuses an existing id, and we check before re-queueing.
 */
export async function watchBatches(
  parameters: WatchBatchesParameters,
): Promise<WatchBatchesReturnType> {
  const { chain, containers, batches, logger } = parameters;
  const result: WatchBatchesReturnType = { unmined: 0, mined: 0 };
  const open = batches.open();
  if (open.length === 0) return result;
  const head = Number(await chain.publicClient.getBlockNumber());

  for (const batch of open) {
    const receipt = await findReceipt(chain, batch);
    if (receipt?.status === "success") {
      const blockNumber = Number(receipt.blockNumber);
      if (batch.minedBlockHash !== receipt.blockHash) {
        batches.markMined(batch.batchRef, {
          txHash: receipt.transactionHash,
          blockNumber,
          blockHash: receipt.blockHash,
        });
      }
      if (head - blockNumber + 1 < parameters.confirmations) {
        result.mined += 1;
        continue;
      }
      const block = await chain.publicClient.getBlock({ blockNumber: receipt.blockNumber });
      if (block.hash !== receipt.blockHash) {
        batches.markUnmined(batch.batchRef, `block ${blockNumber} was reorganised away`);
        logger.warn(
          { batchRef: batch.batchRef, blockNumber },
          "anchor block left the canonical chain; watching again",
        );
        result.unmined += 1;
        continue;
      }
      const batchContainers = containers.inBatch(batch.batchRef);
      const logged = parseEventLogs({
        abi: dataContainersAbi,
        logs: receipt.logs,
        eventName: "ContainersAnchored",
      })
        .filter((log) => log.address.toLowerCase() === chain.containersAddress.toLowerCase())
        .flatMap((log) => log.args.headers.map((header) => hashContainerHeader(header)));
      const ours = new Set(batchContainers.map((container) => container.headerHash));
      const missing = [...ours].filter((hash) => !logged.includes(hash));
      if (missing.length > 0) {
        // Cannot happen with an honest node: our signed calldata is what was executed.
        logger.error(
          { batchRef: batch.batchRef, missing },
          "receipt does not log our headers; resolving by chain state",
        );
        await resolveByChainState(parameters, batch, head, "receipt without our headers");
        continue;
      }
      batches.confirm(batch.batchRef, blockNumber, Date.now());
      parameters.onConfirmed?.(batch, batchContainers.length);
      logger.info(
        {
          batchRef: batch.batchRef,
          txHash: receipt.transactionHash,
          blockNumber,
          containers: batchContainers.length,
        },
        "anchor batch confirmed",
      );
      continue;
    }
    if (receipt !== undefined) {
      await resolveByChainState(
        parameters,
        batch,
        head,
        `transaction ${receipt.transactionHash} reverted`,
      );
      continue;
    }
    if (batch.state === "mined") {
      batches.markUnmined(batch.batchRef, "receipt disappeared (reorg)");
      logger.warn(
        { batchRef: batch.batchRef },
        "anchor transaction no longer mined (reorg); watching again",
      );
    }
    // Is the nonce used? Counted at the confirmation depth, so a replacement that
    // is itself reorganised away is not taken as final.
    const finalBlock = BigInt(Math.max(0, head - parameters.confirmations + 1));
    const usedNonces = await chain.publicClient.getTransactionCount({
      address: batch.signer,
      blockNumber: finalBlock,
    });
    if (usedNonces > batch.nonce) {
      // Look again: ours may have been mined between the receipt lookup and now.
      if ((await findReceipt(chain, batch)) !== undefined) {
        result.unmined += 1;
        continue;
      }
      await resolveByChainState(
        parameters,
        batch,
        head,
        `nonce ${batch.nonce} was used by another transaction`,
      );
      continue;
    }
    const latestNonces = await chain.publicClient.getTransactionCount({
      address: batch.signer,
      blockTag: "latest",
    });
    if (latestNonces > batch.nonce) {
      // Used in a recent block, not yet final: wait.
      result.unmined += 1;
      continue;
    }
    result.unmined += 1;
    const newest = batch.transactions[0];
    if (newest === undefined) continue;
    if (!(await isKnown(chain, newest.txHash))) {
      await broadcast(chain, newest.raw);
      batches.markBroadcast(newest.txHash, Date.now());
      logger.warn(
        { batchRef: batch.batchRef, txHash: newest.txHash, nonce: batch.nonce },
        "anchor transaction not known to the node; re-sent",
      );
      continue;
    }
    if (Date.now() - newest.signedAtMs >= parameters.replaceAfterMs) {
      if (batch.signer.toLowerCase() !== chain.account.address.toLowerCase()) {
        // Signed by an oracle key this gateway no longer holds (a rotation): it cannot be
        // replaced, only re-sent. It is mined as it is, or reverts once the old key's role
        // is revoked, and then its containers go back to `stored` for the new key.
        await broadcast(chain, newest.raw);
        continue;
      }
      await replaceWithHigherFees(parameters, batch);
    }
  }
  return result;
}

/** Signs the same call again with the same nonce and 25 % higher fees (nodes want ≥ 10 % to replace). */
async function replaceWithHigherFees(
  parameters: WatchBatchesParameters,
  batch: AnchorBatchRecord,
): Promise<void> {
  const { chain, batches, logger } = parameters;
  const newest = batch.transactions[0];
  if (newest === undefined) return;
  const original = await chain.publicClient.getTransaction({ hash: newest.txHash });
  const current = await chain.publicClient.estimateFeesPerGas();
  const bump = (value: bigint) => (value * FEE_BUMP_PERCENT) / 100n;
  const maxFeePerGas = [bump(newest.maxFeePerGas), current.maxFeePerGas].reduce((a, b) =>
    a > b ? a : b,
  );
  const maxPriorityFeePerGas = [
    bump(newest.maxPriorityFeePerGas),
    current.maxPriorityFeePerGas,
  ].reduce((a, b) => (a > b ? a : b));
  const raw = await chain.account.signTransaction({
    chainId: chain.chainId,
    type: "eip1559",
    to: chain.containersAddress,
    data: original.input,
    gas: original.gas,
    nonce: batch.nonce,
    maxFeePerGas,
    maxPriorityFeePerGas,
  });
  const txHash = keccak256(raw);
  batches.addTransaction(
    batch.batchRef,
    { txHash, nonce: batch.nonce, raw, maxFeePerGas, maxPriorityFeePerGas },
    Date.now(),
  );
  await broadcast(chain, raw);
  batches.markBroadcast(txHash, Date.now());
  logger.warn(
    { batchRef: batch.batchRef, previous: newest.txHash, txHash, nonce: batch.nonce },
    "anchor transaction replaced with higher fees",
  );
}

/**
 * The batch's transaction will never land as sent: ask the chain, container by
 * container, what is anchored. Ours (same commitment) → confirmed; absent →
 * back to `stored`; a different commitment under our id is logged as an error
 * and left confirmed, since the chain will refuse that id forever.
 */
async function resolveByChainState(
  parameters: WatchBatchesParameters,
  batch: AnchorBatchRecord,
  head: number,
  reason: string,
): Promise<void> {
  const { chain, containers, batches, logger } = parameters;
  const confirmedRefs: number[] = [];
  const requeueRefs: number[] = [];
  for (const container of containers.inBatch(batch.batchRef)) {
    const commitment = await chain.publicClient.readContract({
      address: chain.containersAddress,
      abi: dataContainersAbi,
      functionName: "commitmentOf",
      args: [BigInt(container.containerId)],
    });
    if (BigInt(commitment) === 0n) {
      requeueRefs.push(container.containerRef);
      continue;
    }
    if (commitment !== container.headerHash) {
      logger.error(
        { containerRef: container.containerRef, onChain: commitment, ours: container.headerHash },
        "a different header is anchored for this container id",
      );
    }
    confirmedRefs.push(container.containerRef);
  }
  batches.abandon(
    batch.batchRef,
    reason,
    { confirmedRefs, confirmedBlock: head, requeueRefs },
    Date.now(),
  );
  logger.warn(
    {
      batchRef: batch.batchRef,
      reason,
      confirmed: confirmedRefs.length,
      requeued: requeueRefs.length,
    },
    "anchor batch abandoned; resolved by chain state",
  );
}
