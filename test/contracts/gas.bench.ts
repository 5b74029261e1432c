/**
 * `npm run bench -- gas`: gas of every state-changing contract path on the in-process Hardhat chain,
 * next to a plain ERC-1155 container (NaiveContainer1155, one mint storing the root and the CID as a
 * string) measured in the same run, and the peer's published 698,000 gas per issued token
 * (Hyperledger Labs blockchain-carbon-accounting, NET token). Gas per container is a receipt's gasUsed
 * (21,000 base included) divided by the containers in the transaction.
 */
import hre from "hardhat";
import {
  metric,
  type BenchContext,
  type BenchMetric,
  type BenchmarkDefinition,
} from "../../scripts/bench/types.ts";
import { measureClaimsGas } from "./measureClaimsGas.ts";
import { PEER_ISSUE_GAS, measureGas } from "./measureGas.ts";

/** The issue's goals, printed next to the figures. */
export const GAS_GOALS = {
  containerBatch100: 60_000,
  containerAlone: 110_000,
  jobStartDirect: 60_000,
  jobStopDirect: 60_000,
} as const;

async function run(context: BenchContext): Promise<BenchMetric[]> {
  context.progress("compiling contracts");
  await hre.tasks.getTask("build").run({ quiet: true });
  context.progress("measuring on an in-process chain");
  const { viem } = await hre.network.create();
  const gas = await measureGas(viem);
  const claims = await measureClaimsGas(viem);
  const naive = { name: "NaiveContainer1155 mint, same run", value: gas.baselineNaiveContainer };
  const peer = { name: "peer NET token issue, published", value: PEER_ISSUE_GAS };
  const goal = (value: number) => ({ name: "goal", value });
  const unit = "gas";
  return [
    metric("container anchored alone", gas.containerAlone, unit, naive),
    metric("container in a batch of 10", gas.containerBatch10, unit, naive),
    metric("container in a batch of 100", gas.containerBatch100, unit, naive),
    metric("container in a batch of 100 vs peer", gas.containerBatch100, unit, peer),
    metric(
      "container anchored alone vs goal",
      gas.containerAlone,
      unit,
      goal(GAS_GOALS.containerAlone),
    ),
    metric(
      "container in a batch of 100 vs goal",
      gas.containerBatch100,
      unit,
      goal(GAS_GOALS.containerBatch100),
    ),
    metric("job start, direct (wallet)", gas.jobStartDirect, unit, goal(GAS_GOALS.jobStartDirect)),
    metric("job stop, direct (wallet)", gas.jobStopDirect, unit, goal(GAS_GOALS.jobStopDirect)),
    metric("job stamp, relayed alone", gas.jobStampRelayedAlone, unit),
    metric("job stamp, relayed in a batch of 10", gas.jobStampRelayedBatch10, unit),
    metric("product lot mint (1 job)", gas.lotMint, unit, peer),
    metric("attestation", gas.attestation, unit),
    metric("certificate registration (CertificateClaims)", claims.registerCertificate, unit),
    metric("certificate claim, first by a site", claims.claimFirst, unit),
    metric("certificate claim, further by the same site", claims.claimAgain, unit),
    metric("baseline: NaiveContainer1155 mint", gas.baselineNaiveContainer, unit, peer),
  ];
}

const definition: BenchmarkDefinition = {
  name: "gas",
  description:
    "gas per container (alone, batches of 10 and 100), job stamp, lot mint, attestation and certificate claims",
  run,
};
export default definition;
