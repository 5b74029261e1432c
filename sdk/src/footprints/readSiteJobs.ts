import type { Address, Hex, PublicClient } from "viem";
import { readChainHead } from "../chain/readChainHead.ts";
import { jobStampsAbi } from "../contracts/generated/abis.ts";

/** A job of a site as JobStamps has it; times in ms, `stopMs` undefined while it runs. */
export interface SiteJob {
  jobId: Hex;
  productId: Hex;
  machineIds: Hex[];
  startMs: number;
  stopMs: number | undefined;
  units: bigint;
}

export interface ReadSiteJobsParameters {
  client: PublicClient;
  jobs: Address;
  siteId: Hex;
  fromBlock: bigint;
  /** Default: the latest block. */
  toBlock?: bigint | undefined;
}

/**
 * Every job started at a site up to `toBlock`: machines and product from its
 * JobStarted event (a wallet stop does not repeat them), times and units from
 * `JobStamps.job` at `toBlock`. Job ids are lowercase.
 *
 * @example
 * ```ts
 * const jobs = await readSiteJobs({ client, jobs: deployments.JobStamps.address, siteId, fromBlock: 0n });
 * ```
 */
export async function readSiteJobs(parameters: ReadSiteJobsParameters): Promise<SiteJob[]> {
  const { client, siteId } = parameters;
  // Uncached: a just-mined stop must be seen.
  const toBlock = parameters.toBlock ?? (await readChainHead(client));
  const logs = await client.getContractEvents({
    address: parameters.jobs,
    abi: jobStampsAbi,
    eventName: "JobStarted",
    args: { siteId },
    fromBlock: parameters.fromBlock,
    toBlock,
    strict: true,
  });
  const jobs: SiteJob[] = [];
  for (const log of logs) {
    const slot = await client.readContract({
      address: parameters.jobs,
      abi: jobStampsAbi,
      functionName: "job",
      args: [siteId, log.args.jobId],
      blockNumber: toBlock,
    });
    jobs.push({
      jobId: log.args.jobId.toLowerCase() as Hex,
      productId: log.args.productId.toLowerCase() as Hex,
      machineIds: log.args.machineIds.map((id) => id.toLowerCase() as Hex),
      startMs: Number(slot.startedAt) * 1000,
      stopMs: slot.stoppedAt === 0n ? undefined : Number(slot.stoppedAt) * 1000,
      units: slot.units,
    });
  }
  return jobs;
}
