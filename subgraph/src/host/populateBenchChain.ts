/**
 * Fills a chain with the indexer benchmark's workload: one site, `containers` containers anchored in
 * batches over four streams (two machines, a device, a site meter), `jobs` jobs started and stopped,
 * and one product lot per job. Shared by the indexer and query benchmarks so both measure one data set.
 */
import type { NetworkConnection } from "hardhat/types/network";
import {
  DEVICE_ID,
  MACHINE_2_ID,
  MACHINE_ID,
  PRODUCT_ID,
  SITE_ID,
  STREAM_ID,
  deployAll,
  id,
  makeFootprint,
  makeHeader,
  signBatch,
  signFootprint,
  type Fixture,
} from "../../../test/contracts/fixture.ts";

export interface BenchChainCounts {
  containers: number;
  jobs: number;
  /** Containers per anchorMany transaction. */
  batchSize: number;
}

export interface BenchChain {
  fixture: Fixture;
  startBlock: number;
  deployments: Record<string, { address: `0x${string}`; startBlock: number }>;
}

const STREAMS = [MACHINE_ID, MACHINE_2_ID, DEVICE_ID, STREAM_ID] as const;

export async function populateBenchChain(
  viem: NetworkConnection["viem"],
  counts: BenchChainCounts,
  progress: (message: string) => void = () => undefined,
): Promise<BenchChain> {
  const publicClient = await viem.getPublicClient();
  const startBlock = Number(await publicClient.getBlockNumber()) + 1;
  const f = await deployAll(viem);
  for (let first = 0; first < counts.containers; first += counts.batchSize) {
    const headers = [];
    for (let i = first; i < Math.min(first + counts.batchSize, counts.containers); i++) {
      headers.push(
        makeHeader(Math.floor(i / STREAMS.length), { streamId: STREAMS[i % STREAMS.length] }),
      );
    }
    const signature = await signBatch(viem, f.oracle, f.containers.address, headers);
    await f.containers.write.anchorMany([headers, f.oracle.account.address, signature]);
    if ((first / counts.batchSize) % 20 === 0)
      progress(`anchored ${first + headers.length} containers`);
  }
  const asOperator = { account: f.operator.account };
  for (let j = 0; j < counts.jobs; j++) {
    const jobId = id(`bench-job:${j}`);
    await f.jobs.write.startJob(
      [SITE_ID, jobId, [STREAMS[j % 2] ?? MACHINE_ID], PRODUCT_ID],
      asOperator,
    );
    await f.jobs.write.stopJob([SITE_ID, jobId, PRODUCT_ID, 10n], asOperator);
    const footprint = makeFootprint({ jobIds: [jobId], units: 10n, nonce: BigInt(j) });
    await f.lots.write.mint([
      footprint,
      f.oracle.account.address,
      await signFootprint(viem, f.oracle, f.lots.address, footprint),
    ]);
    if (j % 200 === 0) progress(`stamped and minted ${j + 1} jobs/lots`);
  }
  const entry = (address: `0x${string}`) => ({ address, startBlock });
  return {
    fixture: f,
    startBlock,
    deployments: {
      EnergyRegistry: entry(f.registry.address),
      DataContainers: entry(f.containers.address),
      JobStamps: entry(f.jobs.address),
      ProductLots: entry(f.lots.address),
      AuditAttestations: entry(f.attestations.address),
    },
  };
}
