import type { Client } from "viem";
import { getBlockNumber } from "viem/actions";

/**
 * The latest block number, read from the node now. viem's `getBlockNumber`
 * answers from a cache for the client's polling interval, so a caller that
 * just saw a transaction mined (and scans logs "up to the head" for it) could
 * read an older head and miss its own event until the next pass.
 *
 * @example
 * ```ts
 * const head = await readChainHead(client);
 * ```
 */
export function readChainHead(client: Client): Promise<bigint> {
  return getBlockNumber(client, { cacheTime: 0 });
}
