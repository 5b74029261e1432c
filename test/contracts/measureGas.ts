/**
 * Gas of every state-changing path, measured on the in-process Hardhat chain next to a naive ERC-1155
 * baseline deployed in the same run. Shared by the gas benchmark and by the test that holds the goals.
 */
import { getContract, parseAbi, type Hex } from "viem";
import { StampAction, StampChannel } from "../../sdk/src/eip712/types.ts";
import {
  MACHINE_ID,
  PRODUCT_ID,
  SITE_ID,
  deployAll,
  id,
  makeFootprint,
  makeHeader,
  makeStamp,
  now,
  signBatch,
  signFootprint,
  signStamp,
  type Viem,
} from "./fixture.ts";

/** The peer's published gas to issue one NET token (Hyperledger Labs blockchain-carbon-accounting). */
export const PEER_ISSUE_GAS = 698_000;

export interface GasReport {
  /** Receipt gasUsed (21,000 base included) divided by the containers in the transaction. */
  containerAlone: number;
  containerBatch10: number;
  containerBatch100: number;
  jobStartDirect: number;
  jobStopDirect: number;
  jobStampRelayedAlone: number;
  jobStampRelayedBatch10: number;
  lotMint: number;
  attestation: number;
  /** NaiveContainer1155.store: one mint storing the root and the CID string. */
  baselineNaiveContainer: number;
}

/** Deploys a fresh set of contracts and measures each path once (gas is deterministic). */
export async function measureGas(viem: Viem): Promise<GasReport> {
  const f = await deployAll(viem);
  const publicClient = f.publicClient;
  const gasOf = async (hash: Hex): Promise<number> => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return Number(receipt.gasUsed);
  };
  const asRelayer = { account: f.relayer.account };
  let hour = 0;
  const nextHeaders = (count: number) => Array.from({ length: count }, () => makeHeader(hour++));

  const [alone] = nextHeaders(1) as [ReturnType<typeof makeHeader>];
  const containerAlone = await gasOf(
    await f.containers.write.anchor(
      [
        alone,
        f.oracle.account.address,
        await signBatch(viem, f.oracle, f.containers.address, [alone]),
      ],
      asRelayer,
    ),
  );
  const perContainer = async (count: number) => {
    const headers = nextHeaders(count);
    const signature = await signBatch(viem, f.oracle, f.containers.address, headers);
    const gas = await gasOf(
      await f.containers.write.anchorMany(
        [headers, f.oracle.account.address, signature],
        asRelayer,
      ),
    );
    return Math.round(gas / count);
  };
  const containerBatch10 = await perContainer(10);
  const containerBatch100 = await perContainer(100);

  const asOperator = { account: f.operator.account };
  const jobStartDirect = await gasOf(
    await f.jobs.write.startJob([SITE_ID, id("job:1"), [MACHINE_ID], PRODUCT_ID], asOperator),
  );
  const jobStopDirect = await gasOf(
    await f.jobs.write.stopJob([SITE_ID, id("job:1"), PRODUCT_ID, 100n], asOperator),
  );

  const time = await now(viem);
  const relayed = async (first: number, count: number) => {
    const signed = [];
    for (let i = 0; i < count; i++) {
      const stamp = makeStamp({
        jobId: id(`job:relayed:${first + i}`),
        action: StampAction.start,
        channel: StampChannel.sms,
        nonce: BigInt(first + i),
        time,
      });
      signed.push({
        stamp,
        signer: f.operator.account.address,
        signature: await signStamp(viem, f.operator, f.jobs.address, stamp),
      });
    }
    const gas = await gasOf(await f.jobs.write.stampMany([signed], asRelayer));
    return Math.round(gas / count);
  };
  // Nonces 0 and 1..10 share one bitmap word: nonce 0 pays the word's fresh slot, as every 256th does.
  const jobStampRelayedAlone = await relayed(0, 1);
  const jobStampRelayedBatch10 = await relayed(1, 10);

  const footprint = makeFootprint({ jobIds: [id("job:1")], units: 100n });
  const lotMint = await gasOf(
    await f.lots.write.mint(
      [
        footprint,
        f.oracle.account.address,
        await signFootprint(viem, f.oracle, f.lots.address, footprint),
      ],
      asRelayer,
    ),
  );
  const lotId = await f.lots.read.lotIdOf([SITE_ID, PRODUCT_ID, footprint.jobIds]);
  const attestation = await gasOf(
    await f.attestations.write.attest([2, lotId, 1, footprint.cid], { account: f.auditor.account }),
  );

  const naive = getContract({
    address: (await viem.deployContract("NaiveContainer1155", [])).address,
    abi: parseAbi(["function store(bytes32 merkleRoot, string cid) returns (uint256)"]),
    client: f.admin,
  });
  // A first store pays for the id counter's fresh slot; measure the second, the steady state.
  const cidText = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
  await gasOf(await naive.write.store([id("root:naive:0"), cidText]));
  const baselineNaiveContainer = await gasOf(
    await naive.write.store([id("root:naive:1"), cidText]),
  );

  return {
    containerAlone,
    containerBatch10,
    containerBatch100,
    jobStartDirect,
    jobStopDirect,
    jobStampRelayedAlone,
    jobStampRelayedBatch10,
    lotMint,
    attestation,
    baselineNaiveContainer,
  };
}
