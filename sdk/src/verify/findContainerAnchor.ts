import type { Address, Hash, PublicClient } from "viem";
import { computeContainerId } from "../containers/computeContainerId.ts";
import type { ContainerHeader } from "../eip712/index.ts";
import { dataContainersAbi } from "../contracts/generated/abis.ts";

/** Where and how a container was anchored, from its ContainersAnchored event. */
export interface ContainerAnchor {
  header: ContainerHeader;
  /** Every header of the batch, in order (the signature covers them all). */
  batch: ContainerHeader[];
  signer: Address;
  blockNumber: bigint;
  transactionHash: Hash;
}

const BLOCKS_PER_QUERY = 10_000n;

/**
 * Finds the ContainersAnchored event holding container `id`. The id is not an
 * indexed topic (one event per batch saves gas), so the DataContainers logs
 * from its deployment block on are scanned and each header's id recomputed.
 * Returns undefined when no event names it.
 */
export async function findContainerAnchor(parameters: {
  client: PublicClient;
  containers: Address;
  fromBlock: bigint;
  id: bigint;
}): Promise<ContainerAnchor | undefined> {
  const { client, containers, id } = parameters;
  const latest = await client.getBlockNumber();
  for (let from = parameters.fromBlock; from <= latest; from += BLOCKS_PER_QUERY) {
    const to = from + BLOCKS_PER_QUERY - 1n < latest ? from + BLOCKS_PER_QUERY - 1n : latest;
    const logs = await client.getContractEvents({
      address: containers,
      abi: dataContainersAbi,
      eventName: "ContainersAnchored",
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    for (const log of logs) {
      const batch = log.args.headers.map((header) => ({ ...header }));
      const header = batch.find((entry) => computeContainerId(entry) === id);
      if (header !== undefined) {
        return {
          header,
          batch,
          signer: log.args.signer,
          blockNumber: log.blockNumber,
          transactionHash: log.transactionHash,
        };
      }
    }
  }
  return undefined;
}
