import type { Database } from "better-sqlite3";
import { createPublicClient, http, parseEventLogs } from "viem";
import { computeContainerId } from "@energy-intelligence/sdk/containers/computeContainerId";
import { hashContainerHeader } from "@energy-intelligence/sdk/containers/hashContainerHeader";
import { parseCid } from "@energy-intelligence/sdk";
import { dataContainersAbi } from "@energy-intelligence/sdk/contracts/generated/abis";
import type { ContentStore } from "../../ipfs/contentStore.ts";
import { ContainersRepository } from "../../store/containersRepository.ts";

export interface ExactlyOnceReport {
  containers: number;
  anchoredOnChain: number;
  confirmed: number;
  periodsContiguous: boolean;
  problems: string[];
}

/**
 * The exactly-once check, from the three sources: every period of the stream
 * has one container row, contiguous from the first; every anchored header on
 * chain (ContainersAnchored logs) belongs to exactly one row and no id is
 * anchored twice; each confirmed row's commitment is on chain; the content
 * store holds each stored document byte for byte.
 */
export async function checkExactlyOnce(parameters: {
  db: Database;
  rpcUrl: string;
  containersAddress: `0x${string}`;
  fromBlock: bigint;
  store?: ContentStore;
}): Promise<ExactlyOnceReport> {
  const problems: string[] = [];
  const rows = new ContainersRepository(parameters.db).list({ limit: 1_000_000 }).reverse();
  const client = createPublicClient({ transport: http(parameters.rpcUrl) });
  const logs = await client.getLogs({
    address: parameters.containersAddress,
    fromBlock: parameters.fromBlock,
    toBlock: "latest",
  });
  const anchored = parseEventLogs({
    abi: dataContainersAbi,
    logs,
    eventName: "ContainersAnchored",
  }).flatMap((log) => log.args.headers);
  const seen = new Map<string, number>();
  for (const header of anchored) {
    const id = `0x${computeContainerId(header).toString(16).padStart(64, "0")}`;
    seen.set(id, (seen.get(id) ?? 0) + 1);
    const row = rows.find((candidate) => candidate.containerId === id);
    if (row === undefined) problems.push(`anchored ${id} has no row in the store`);
    else if (hashContainerHeader(header) !== row.headerHash)
      problems.push(`anchored ${id} differs from the stored header`);
  }
  for (const [id, count] of seen) if (count > 1) problems.push(`${id} anchored ${count} times`);
  const keys = new Set<string>();
  let contiguous = true;
  rows.forEach((row, index) => {
    const key = `${row.siteId}/${row.streamId}/${row.periodStartMs}/${row.revision}`;
    if (keys.has(key)) problems.push(`period ${key} has two rows`);
    keys.add(key);
    const previous = rows[index - 1];
    if (previous !== undefined && previous.periodEndMs !== row.periodStartMs) contiguous = false;
  });
  let confirmed = 0;
  for (const row of rows) {
    if (row.state !== "confirmed") continue;
    confirmed += 1;
    if (seen.get(row.containerId) !== 1)
      problems.push(
        `confirmed ${row.containerId} is anchored ${seen.get(row.containerId) ?? 0} times`,
      );
    if (parameters.store !== undefined) {
      const bytes = await parameters.store.getBlock(parseCid(row.cid));
      const document = new ContainersRepository(parameters.db).document(row.containerRef);
      if (bytes === undefined || Buffer.compare(Buffer.from(bytes), Buffer.from(document)) !== 0) {
        problems.push(`IPFS does not hold ${row.cid}`);
      }
    }
  }
  return {
    containers: rows.length,
    anchoredOnChain: anchored.length,
    confirmed,
    periodsContiguous: contiguous,
    problems,
  };
}
