import { computeUnixfsBlocks, InvariantError } from "@energy-intelligence/sdk";
import type { Logger } from "pino";
import {
  ContentMismatchError,
  type ContentStore,
  ContentStoreUnavailableError,
} from "../ipfs/contentStore.ts";
import type { ContainersRepository } from "../store/containersRepository.ts";
import { backoffDelayMs } from "./backoff.ts";

export interface StoreContainersParameters {
  containers: ContainersRepository;
  store: ContentStore;
  logger: Logger;
  nowMs: number;
  limit: number;
  backoff: { initialMs: number; maxMs: number };
}

/**
 * Step built → stored: puts each due container's document into the content
 * store (the sdk's UnixFS blocks, recomputed from the kept bytes) and checks
 * the store's CID against the one recorded at build time. Stops at the first
 * unavailable-store error: the rest would fail the same way, and each gets
 * its own backoff when tried. Returns how many were stored.
 */
export async function storeContainers(
  parameters: StoreContainersParameters,
): Promise<{ stored: number; unavailable: boolean }> {
  const { containers, store, logger, nowMs } = parameters;
  let stored = 0;
  let unavailable = false;
  for (const container of containers.due("built", nowMs, parameters.limit)) {
    const bytes = containers.document(container.containerRef);
    const { cid, blocks } = computeUnixfsBlocks(bytes);
    try {
      if (cid.toString() !== container.cid) {
        throw new InvariantError(
          `container ${container.containerRef}: kept bytes hash to ${cid.toString()}, not ${container.cid}`,
        );
      }
      await store.putFile({ root: cid, blocks, bytes });
      containers.markStored(container.containerRef, Date.now());
      stored += 1;
    } catch (error) {
      const retryAtMs = nowMs + backoffDelayMs(container.attempts, parameters.backoff);
      const message =
        error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error);
      containers.recordFailure(container.containerRef, `ipfs: ${message}`, retryAtMs);
      if (error instanceof ContentStoreUnavailableError) {
        logger.warn(
          { containerRef: container.containerRef, retryAtMs, err: message },
          "content store unavailable; backing off",
        );
        unavailable = true;
        break;
      }
      logger.error(
        {
          containerRef: container.containerRef,
          err: error,
          mismatch: error instanceof ContentMismatchError,
        },
        "could not store container document",
      );
    }
  }
  return { stored, unavailable };
}
