import type { Client } from "viem";
import { getBlockNumber } from "viem/actions";

export type ReadChainHeadReturnType = bigint;

/**
 * The latest block number, read from the node now. viem's `getBlockNumber`
 * answers from a cache for the client's polling interval, so a caller that
 * just saw a transaction mined (and scans logs "up to the head" for it) could
 * read an older head and miss its own event until the next pass. Every read
 * of the head that a fresh answer matters for goes through here.
 *
 * @example
 * ```ts
 * const head = await readChainHead(publicClient);
 * ```
 */
export function readChainHead(client: Client): Promise<ReadChainHeadReturnType> {
  return getBlockNumber(client, { cacheTime: 0 });
}
