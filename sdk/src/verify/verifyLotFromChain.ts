import { marketRateContainerOf } from "../footprints/footprintMarketRate.ts";
import type { Address, Hex, PublicClient } from "viem";
import { cidFromBytes } from "../cid/index.ts";
import { containerPublicPartSchema } from "../containers/containerDocumentSchema.ts";
import { productLotsAbi } from "../contracts/generated/abis.ts";
import { readSiteDevices } from "../footprints/readSiteDevices.ts";
import { readSiteJobs } from "../footprints/readSiteJobs.ts";
import {
  verifyFootprintDocument,
  type ContainerFacts,
  type JobFacts,
} from "../footprints/verifyFootprintDocument.ts";
import { findContainerAnchor } from "./findContainerAnchor.ts";
import { IpfsBlockMismatchError, IpfsBlockUnavailableError } from "./ipfsBlockErrors.ts";
import type { CID } from "multiformats/cid";
import {
  finishReport,
  type VerificationCheck,
  type VerificationReport,
} from "./verificationReport.ts";

interface ContractEntry {
  address: Address;
  startBlock: number;
}

export interface VerifyLotFromChainParameters {
  client: PublicClient;
  /** The auditor's own deployments file: it says which contracts are the real ones. */
  deployments: {
    EnergyRegistry: ContractEntry;
    DataContainers: ContractEntry;
    JobStamps: ContractEntry;
    ProductLots: ContractEntry;
  };
  lotId: bigint;
  /**
   * Reads a UnixFS file by CID from an untrusted source, checking it (readVerifiedUnixfsFile over
   * a BlockSource does); throws IpfsBlockUnavailableError or IpfsBlockMismatchError.
   */
  readFile: (cid: CID) => Promise<Uint8Array>;
  sourceName: string;
}

export interface VerifyLotFromChainReturnType extends VerificationReport {
  /** The footprint document as fetched (checked against the minted CID), for a proof bundle. */
  documentBytes: Uint8Array | undefined;
  /** The container documents fetched on the way, by container id (decimal). */
  containerDocuments: Map<string, Uint8Array>;
}

/** The containers a document lists, as anchored on chain, with the hours their documents list. */
async function gatherContainers(parameters: {
  client: PublicClient;
  containers: Address;
  fromBlock: bigint;
  ids: readonly string[];
  readFile: (cid: CID) => Promise<Uint8Array>;
  documents: Map<string, Uint8Array>;
}): Promise<Map<string, ContainerFacts>> {
  const facts = new Map<string, ContainerFacts>();
  for (const id of parameters.ids) {
    const anchor = await findContainerAnchor({
      client: parameters.client,
      containers: parameters.containers,
      fromBlock: parameters.fromBlock,
      id: BigInt(id),
    });
    if (anchor === undefined) continue;
    const cid = cidFromBytes(anchor.header.cid);
    let hours: ContainerFacts["hours"];
    let market: ContainerFacts["market"];
    try {
      // The bytes are checked block by block against the anchored CID; the sealed envelope keeps hours public too.
      const bytes = await parameters.readFile(cid);
      parameters.documents.set(id, bytes);
      const raw = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
      const { readings: _readings, ...publicPart } = raw;
      const parsed = containerPublicPartSchema.safeParse("public" in raw ? raw.public : publicPart);
      if (parsed.success) {
        hours = parsed.data.hours;
        // v3: the container's own market-based figures, from which each hour's rate is recomputed.
        market = marketRateContainerOf(id, parsed.data);
      }
    } catch {
      hours = undefined;
    }
    facts.set(id, {
      streamId: anchor.header.streamId,
      periodStartMs: Number(anchor.header.periodStart) * 1000,
      periodEndMs: Number(anchor.header.periodEnd) * 1000,
      revision: anchor.header.revision,
      merkleRoot: anchor.header.merkleRoot,
      cid: cid.toString(),
      hours,
      market,
    });
  }
  return facts;
}

/**
 * Recomputes a product lot's footprint from public data alone — the lot and its LotMinted
 * footprint on chain, the document from IPFS, the jobs' stamps from JobStamps, the containers from
 * DataContainers, every reading proven against its container's root, the factors the containers
 * used — and compares. What `ei verify lot` and the dapp's verify page both run.
 *
 * Checks, in order: minted, fetch (or cid), then verifyFootprintDocument's (document, lot, jobs,
 * scope-jobs, containers, readings, devices, factors, market-based, recompute).
 *
 * @example
 * ```ts
 * const report = await verifyLotFromChain({ client, deployments, lotId: 7n,
 *   readFile: (cid) => readVerifiedUnixfsFile(cid, gatewayBlockSource(url, fetch), url), sourceName: url });
 * ```
 */
export async function verifyLotFromChain(
  parameters: VerifyLotFromChainParameters,
): Promise<VerifyLotFromChainReturnType> {
  const { client, deployments, lotId, sourceName } = parameters;
  const lotsAddress = deployments.ProductLots.address;
  const checks: VerificationCheck[] = [];
  const containerDocuments = new Map<string, Uint8Array>();
  const finish = (complete: boolean, documentBytes: Uint8Array | undefined) => ({
    ...finishReport(checks, complete),
    documentBytes,
    containerDocuments,
  });

  const minted = await client.getContractEvents({
    address: lotsAddress,
    abi: productLotsAbi,
    eventName: "LotMinted",
    args: { lotId },
    fromBlock: BigInt(deployments.ProductLots.startBlock),
    strict: true,
  });
  const event = minted[0];
  if (event === undefined) {
    checks.push({
      id: "minted",
      ok: false,
      skipped: false,
      detail: `no LotMinted event for lot ${lotId} on ProductLots ${lotsAddress}`,
    });
    return finish(false, undefined);
  }
  const stored = await client.readContract({
    address: lotsAddress,
    abi: productLotsAbi,
    functionName: "lot",
    args: [lotId],
  });
  const { footprint } = event.args;
  const cid = cidFromBytes(footprint.cid);
  checks.push({
    id: "minted",
    ok: stored.footprintHash === event.args.footprintHash && stored.units === footprint.units,
    skipped: false,
    detail: `block ${event.blockNumber}, tx ${event.transactionHash}, signer ${event.args.signer}, footprint ${cid.toString()}`,
  });

  let documentBytes: Uint8Array;
  try {
    documentBytes = await parameters.readFile(cid);
    checks.push({
      id: "fetch",
      ok: true,
      skipped: false,
      detail: `${documentBytes.length} bytes from ${sourceName}`,
    });
  } catch (error) {
    if (error instanceof IpfsBlockUnavailableError || error instanceof IpfsBlockMismatchError) {
      checks.push({
        id: error instanceof IpfsBlockMismatchError ? "cid" : "fetch",
        ok: false,
        skipped: false,
        detail: error.message,
      });
      return finish(false, undefined);
    }
    throw error;
  }

  // Facts from the chain, read at the mint block: what the oracle could see when it signed.
  let listed:
    | { containers: string[]; machines: Hex[]; scope: { startMs: number; endMs: number } }
    | undefined;
  try {
    const raw = JSON.parse(new TextDecoder().decode(documentBytes)) as {
      containers?: { containerId?: string }[];
      machines?: { machineId?: Hex }[];
      scope?: { startMs: number; endMs: number };
    };
    listed = {
      containers: (raw.containers ?? [])
        .map((entry) => entry.containerId ?? "")
        .filter((id) => /^[0-9]+$/u.test(id)),
      machines: (raw.machines ?? []).map((entry) => (entry.machineId ?? "0x").toLowerCase() as Hex),
      scope: raw.scope ?? { startMs: 0, endMs: 0 },
    };
  } catch {
    listed = undefined;
  }
  const siteJobs = await readSiteJobs({
    client,
    jobs: deployments.JobStamps.address,
    siteId: footprint.siteId,
    fromBlock: BigInt(deployments.JobStamps.startBlock),
    toBlock: event.blockNumber,
  });
  const jobs = new Map<string, JobFacts>();
  for (const job of siteJobs) {
    if (job.stopMs !== undefined) jobs.set(job.jobId, { ...job, stopMs: job.stopMs });
  }
  const machines = new Set(listed?.machines ?? []);
  const overlappingJobIds = siteJobs
    .filter(
      (job) =>
        listed !== undefined &&
        job.machineIds.some((id) => machines.has(id)) &&
        job.startMs < listed.scope.endMs &&
        (job.stopMs === undefined || job.stopMs > listed.scope.startMs),
    )
    .map((job) => job.jobId);
  const containers = await gatherContainers({
    client,
    containers: deployments.DataContainers.address,
    fromBlock: BigInt(deployments.DataContainers.startBlock),
    ids: listed?.containers ?? [],
    readFile: parameters.readFile,
    documents: containerDocuments,
  });
  const devices = await readSiteDevices({
    client,
    registry: deployments.EnergyRegistry.address,
    siteId: footprint.siteId,
    fromBlock: BigInt(deployments.EnergyRegistry.startBlock),
    toBlock: event.blockNumber,
  });

  const result = verifyFootprintDocument({
    documentBytes,
    lot: {
      siteId: footprint.siteId,
      productId: footprint.productId,
      jobIds: footprint.jobIds,
      units: stored.units,
      cid: cid.toString(),
      energyMilliWattHours: stored.energyMilliWattHours,
      emissionsLocationMilligramsCo2e: stored.emissionsLocationMilligramsCo2e,
      emissionsMarketMilligramsCo2e: stored.emissionsMarketMilligramsCo2e,
    },
    jobs,
    overlappingJobIds,
    containers,
    devices,
  });
  checks.push(...result.checks.map((check) => ({ ...check })));
  return finish(result.complete, documentBytes);
}
