/**
 * `npm run bench -- gas`: gas of every state-changing contract path on the in-process Hardhat chain,
 * next to a plain ERC-1155 container (NaiveContainer1155, one mint storing the root and the CID as a
 * string) measured in the same run, and the peer's published 698,000 gas per issued token
 * (Hyperledger Labs blockchain-carbon-accounting, NET token). Gas per container is a receipt's gasUsed
 * (21,000 base included) divided by the containers in the transaction. Grid intensity requests
 * (GridIntensityConsumer, Chainlink Functions) next to the pre-#9 consumer that kept its source in
 * storage, with the request's parts (measureIntensityGas.ts).
 */
import hre from "hardhat";
import {
  metric,
  type BenchContext,
  type BenchMetric,
  type BenchmarkDefinition,
} from "../../scripts/bench/types.ts";
import { measureClaimsGas } from "./measureClaimsGas.ts";
import { measureIntensityGas } from "./measureIntensityGas.ts";
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
  const connection = await hre.network.create();
  const { viem } = connection;
  const gas = await measureGas(viem);
  const claims = await measureClaimsGas(viem);
  context.progress("measuring Chainlink Functions requests (toolkit router and coordinator)");
  const intensity = await measureIntensityGas(connection);
  const oldRequest = {
    name: "pre-#9 consumer (source in storage), same run",
    value: intensity.requestStorageSource,
  };
  const oldSourceAndCbor = {
    name: "source from storage + encodeCBOR, same run",
    value: intensity.parts.sourceFromStorage + intensity.parts.cborEncode,
  };
  const oldTotal = (value: number) => ({ name: "pre-#9 request, same run", value });
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
    metric("grid intensity request", intensity.request, unit, oldRequest),
    metric(
      "grid intensity request data: prefix from code + args",
      intensity.parts.prefixPath,
      unit,
      oldSourceAndCbor,
    ),
    metric(
      "grid intensity part (old path): source read from storage",
      intensity.parts.sourceFromStorage,
      unit,
      oldTotal(intensity.requestStorageSource),
    ),
    metric(
      "grid intensity part (old path): encodeCBOR",
      intensity.parts.cborEncode,
      unit,
      oldTotal(intensity.requestStorageSource),
    ),
    metric(
      "grid intensity part: router and coordinator",
      intensity.parts.routerSend,
      unit,
      oldTotal(intensity.requestStorageSource),
    ),
    metric("grid intensity part: raw source read from code", intensity.parts.sourceFromCode, unit, {
      name: "source read from storage, same run",
      value: intensity.parts.sourceFromStorage,
    }),
    metric(`grid intensity deploy (${intensity.sourceBytes} B source)`, intensity.deploy, unit, {
      name: "pre-#9 consumer deploy, same run",
      value: intensity.deployStorageSource,
    }),
    metric("grid intensity setSource (changed source)", intensity.setSource, unit, {
      name: "pre-#9 setSource, same run",
      value: intensity.setSourceStorageSource,
    }),
  ];
}

const definition: BenchmarkDefinition = {
  name: "gas",
  description:
    "gas per container (alone, batches of 10 and 100), job stamp, lot mint, attestation, certificate claims and grid intensity requests",
  run,
};
export default definition;
