/**
 * `npm run bench -- stamping`: gas per job stamp when the gateway relays stamps
 * in `stampMany` batches, against the baseline of one direct wallet transaction
 * per stamp (`startJob` / `stopJob`), both measured in the same run on a
 * Hardhat node. Gas per stamp is receipts' gasUsed (21,000 base included)
 * summed and divided by the stamps; each variant stamps the same jobs shape:
 * a start, then a stop, per job.
 */
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { StampAction, StampChannel, eip712Domain } from "@energy-intelligence/sdk/eip712/index";
import {
  type SignedJobStamp,
  deriveJobId,
  signJobStamp,
  stampMany,
  startJob,
  stopJob,
} from "@energy-intelligence/sdk/jobs/index";
import {
  metric,
  type BenchContext,
  type BenchMetric,
  type BenchmarkDefinition,
} from "../../../scripts/bench/types.ts";
import { HARDHAT_ORACLE_KEY } from "../chain/testing/deployTestContracts.ts";
import {
  BRACKET,
  PRESS,
  SITE_ID,
  mineBlock,
  startStampingChain,
  type StampingChain,
} from "./testing/stampingFixture.ts";

const JOBS = 50;

async function gasOf(chain: StampingChain, hashes: readonly Hex[]): Promise<bigint> {
  let total = 0n;
  for (const hash of hashes) {
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`bench transaction ${hash} reverted`);
    total += receipt.gasUsed;
  }
  return total;
}

/** Baseline: every stamp its own transaction from the operator's wallet. */
async function direct(chain: StampingChain): Promise<number> {
  const wallet = chain.walletFor(chain.operator);
  const common = {
    publicClient: chain.publicClient,
    walletClient: wallet,
    address: chain.jobStamps,
    siteId: SITE_ID,
  };
  const jobIds = Array.from({ length: JOBS }, (_, index) =>
    deriveJobId({ siteId: SITE_ID, reference: `direct-${index}` }),
  );
  const hashes: Hex[] = [];
  for (const jobId of jobIds)
    hashes.push(
      await startJob({
        ...common,
        jobId,
        machineIds: [PRESS.machineId],
        productId: BRACKET.productId,
      }),
    );
  await gasOf(chain, hashes);
  await mineBlock(chain);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await mineBlock(chain);
  for (const jobId of jobIds)
    hashes.push(await stopJob({ ...common, jobId, productId: BRACKET.productId, units: 10n }));
  return Number(await gasOf(chain, hashes)) / (2 * JOBS);
}

/** The gateway's path: stamps signed by the site oracle, relayed `batch` at a time. */
async function batched(chain: StampingChain, batch: number, label: string): Promise<number> {
  const oracle = privateKeyToAccount(HARDHAT_ORACLE_KEY);
  const relayer = chain.walletFor(privateKeyToAccount(chain.relayerKey));
  const domain = eip712Domain({ chainId: chain.chainId, verifyingContract: chain.jobStamps });
  const nowS = BigInt(Math.floor(Date.now() / 1000));
  const nonceBase = BigInt(batch) << 64n;
  const sign = (index: number, action: 1 | 2, time: bigint): Promise<SignedJobStamp> =>
    signJobStamp({
      domain,
      signer: oracle,
      stamp: {
        jobId: deriveJobId({ siteId: SITE_ID, reference: `${label}-${index}` }),
        siteId: SITE_ID,
        action,
        machineIds: action === StampAction.start ? [PRESS.machineId] : [],
        productId: BRACKET.productId,
        units: action === StampAction.start ? 0n : 10n,
        time,
        channel: StampChannel.api,
        nonce: nonceBase + BigInt(action === StampAction.start ? index : JOBS + index),
      },
    });
  const stamps: SignedJobStamp[] = [];
  for (let index = 0; index < JOBS; index += 1)
    stamps.push(await sign(index, StampAction.start, nowS - 120n));
  for (let index = 0; index < JOBS; index += 1)
    stamps.push(await sign(index, StampAction.stop, nowS - 60n));
  const hashes: Hex[] = [];
  for (let offset = 0; offset < stamps.length; offset += batch)
    hashes.push(
      await stampMany({
        publicClient: chain.publicClient,
        walletClient: relayer,
        address: chain.jobStamps,
        stamps: stamps.slice(offset, offset + batch),
      }),
    );
  return Number(await gasOf(chain, hashes)) / stamps.length;
}

async function run(context: BenchContext): Promise<BenchMetric[]> {
  context.progress("starting a Hardhat node and deploying the registry and JobStamps");
  const chain = await startStampingChain();
  try {
    context.progress(`baseline: ${2 * JOBS} direct wallet stamps, one transaction each`);
    const baseline = {
      name: "direct startJob/stopJob, one tx per stamp, same run",
      value: await direct(chain),
    };
    const rows: BenchMetric[] = [
      metric("gas per stamp, direct wallet tx (baseline)", baseline.value, "gas"),
    ];
    for (const batch of [1, 10, 50, 100]) {
      context.progress(`stampMany in batches of ${batch}`);
      rows.push(
        metric(
          `gas per stamp, stampMany batch of ${batch}`,
          await batched(chain, batch, `b${batch}`),
          "gas",
          baseline,
        ),
      );
    }
    return rows;
  } finally {
    await chain.stop();
  }
}

const benchmark: BenchmarkDefinition = {
  name: "stamping",
  description:
    "gas per job stamp: gateway stampMany batches vs one direct wallet transaction per stamp",
  run,
};
export default benchmark;
