import { encodeAbiParameters, hexToBigInt, keccak256 } from "viem";
import type { Hex } from "viem";
import type { CID } from "multiformats/cid";
import type { CounterChannelConfig, CounterReading } from "../accounting/types.ts";
import { allocateScope } from "../allocation/allocateScope.ts";
import type {
  AllocatedAmounts,
  AllocationChannel,
  AllocationJob,
  AllocationRules,
  HourFactors,
  ScopeAllocation,
} from "../allocation/types.ts";
import { computeUnixfsBlocks } from "../cid/computeUnixfsBlocks.ts";
import type { UnixfsBlock } from "../cid/computeUnixfsBlocks.ts";
import { cidToHex } from "../cid/cidToHex.ts";
import { configToJson } from "../containers/internal/boundaryJson.ts";
import type { ReadingDisclosure } from "../containers/readingDisclosureSchema.ts";
import type { Footprint } from "../eip712/messageTypes.ts";
import { InvalidInputError } from "../errors/index.ts";
import { factorRef } from "../factors/factorRef.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import {
  FOOTPRINT_DOCUMENT_FORMAT,
  FOOTPRINT_ROUNDING,
  type FootprintAmountsJson,
  type FootprintContainer,
  type FootprintDocument,
} from "./footprintDocumentSchema.ts";

/** A metered channel as the footprint declares it (its readings come from `readings`). */
export interface FootprintChannelInput {
  deviceId: Hex;
  channel: number;
  config: CounterChannelConfig;
}

/** A job of the scope: its chain record (times in ms) and product. */
export interface FootprintJobInput extends AllocationJob {
  productId: Hex;
}

export interface BuildFootprintDocumentParameters {
  siteId: Hex;
  productId: Hex;
  /** The lot's jobs (one or several); each must be in `jobs` and make `productId`. */
  lotJobIds: readonly Hex[];
  /** Every job in the scope: the lot's and any other sharing its machines. */
  jobs: readonly FootprintJobInput[];
  scope: { startMs: number; endMs: number };
  rules: AllocationRules;
  machines: readonly { machineId: Hex; channels: readonly FootprintChannelInput[] }[];
  overheadChannels: readonly FootprintChannelInput[];
  /** Every reading used, disclosed with its proof to the root of one of `containers`. */
  readings: readonly ReadingDisclosure[];
  containers: readonly FootprintContainer[];
  hourFactors: readonly HourFactors[];
  /** The EIP-712 nonce to put in `footprint`; default: the lot id (one signature per lot). */
  nonce?: bigint | undefined;
}

export interface BuildFootprintDocumentReturnType {
  document: FootprintDocument;
  /** JCS bytes of the document: what IPFS stores and the CID names. */
  documentBytes: Uint8Array;
  cid: CID;
  /** UnixFS blocks of the bytes, root last. */
  blocks: UnixfsBlock[];
  allocation: ScopeAllocation;
  /** ProductLots.lotIdOf(siteId, productId, jobIds). */
  lotId: bigint;
  /** The EIP-712 Footprint the site oracle signs and ProductLots.mint takes. */
  footprint: Footprint;
}
export type BuildFootprintDocumentErrorType = InvalidInputError;

const amountsJson = (amounts: AllocatedAmounts): FootprintAmountsJson => ({
  energyMilliWattHours: amounts.energyMilliWattHours.toString(),
  emissionsLocationMilligramsCo2e: amounts.emissionsLocationMilligramsCo2e.toString(),
  emissionsMarketMilligramsCo2e: amounts.emissionsMarketMilligramsCo2e.toString(),
});
const compareHex = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const compareChannel = (a: FootprintChannelInput, b: FootprintChannelInput) =>
  compareHex(a.deviceId.toLowerCase(), b.deviceId.toLowerCase()) || a.channel - b.channel;
const channelKey = (deviceId: string, channel: number) => `${deviceId.toLowerCase()}/${channel}`;

/**
 * Builds a lot's footprint document (`ei-footprint-v1`) from the chain's jobs,
 * the anchored readings the allocation uses (each disclosed with its Merkle
 * proof) and the containers' hourly factors: runs allocateScope on exactly
 * the readings it publishes, so the document recomputes from itself.
 *
 * Deterministic and order-free: jobs are listed by start then id, machines,
 * channels, containers and readings by id, time and sequence, and the lot's
 * job ids in the jobs' order (which fixes the lot id). Rebuilding after a crash
 * gives the same bytes and CID.
 *
 * @throws {InvalidInputError} naming the field: a lot job missing from `jobs` or making
 *   another product, a reading of an undeclared channel or container, a reading listed
 *   twice, and everything allocateScope refuses.
 * @example
 * ```ts
 * const built = buildFootprintDocument({ siteId, productId, lotJobIds: [jobId], jobs, scope, rules,
 *   machines, overheadChannels: [], readings, containers, hourFactors });
 * await store.putFile({ root: built.cid, blocks: built.blocks, bytes: built.documentBytes });
 * ```
 */
export function buildFootprintDocument(
  parameters: BuildFootprintDocumentParameters,
): BuildFootprintDocumentReturnType {
  const { siteId, productId, scope, rules } = parameters;
  const jobs = parameters.jobs
    .map((job) => ({ ...job, jobId: job.jobId.toLowerCase() as Hex }))
    .sort((a, b) => a.startMs - b.startMs || compareHex(a.jobId, b.jobId));
  const lotSet = new Set(parameters.lotJobIds.map((id) => id.toLowerCase()));
  if (lotSet.size === 0) throw new InvalidInputError("lotJobIds", "a lot needs at least one job");
  if (lotSet.size !== parameters.lotJobIds.length)
    throw new InvalidInputError("lotJobIds", "a job is listed twice");
  parameters.lotJobIds.forEach((jobId, index) => {
    const job = jobs.find((entry) => entry.jobId === jobId.toLowerCase());
    if (job === undefined)
      throw new InvalidInputError(`lotJobIds[${index}]`, `${jobId} is not among the scope's jobs`);
    if (job.productId.toLowerCase() !== productId.toLowerCase()) {
      throw new InvalidInputError(
        `lotJobIds[${index}]`,
        `job ${jobId} made product ${job.productId}, not ${productId}`,
      );
    }
  });
  const lotJobIds = jobs.filter((job) => lotSet.has(job.jobId)).map((job) => job.jobId);

  const containers = [...parameters.containers].sort(
    (a, b) =>
      compareHex(a.streamId, b.streamId) ||
      a.periodStartMs - b.periodStartMs ||
      a.revision - b.revision,
  );
  const containerIds = new Set(containers.map((container) => container.containerId));
  const readings = [...parameters.readings].sort(
    (a, b) =>
      compareHex(a.reading.deviceId, b.reading.deviceId) ||
      a.reading.channel - b.reading.channel ||
      a.reading.timestampMs - b.reading.timestampMs ||
      compareHex(a.reading.sequence.padStart(20, "0"), b.reading.sequence.padStart(20, "0")),
  );
  const byChannel = new Map<string, CounterReading[]>();
  const declared = [
    ...parameters.machines.flatMap((machine) => machine.channels),
    ...parameters.overheadChannels,
  ];
  for (const channel of declared) {
    const key = channelKey(channel.deviceId, channel.channel);
    if (byChannel.has(key))
      throw new InvalidInputError("machines", `channel ${key} is declared twice`);
    byChannel.set(key, []);
  }
  const seen = new Set<string>();
  readings.forEach((disclosure, index) => {
    const { reading } = disclosure;
    const key = channelKey(reading.deviceId, reading.channel);
    const list = byChannel.get(key);
    if (list === undefined)
      throw new InvalidInputError(`readings[${index}]`, `channel ${key} is not declared`);
    if (!containerIds.has(disclosure.containerId)) {
      throw new InvalidInputError(
        `readings[${index}].containerId`,
        `container ${disclosure.containerId} is not listed in containers`,
      );
    }
    const readingKey = `${key}/${reading.sequence}`;
    if (seen.has(readingKey))
      throw new InvalidInputError(`readings[${index}]`, `reading ${readingKey} is listed twice`);
    seen.add(readingKey);
    list.push({
      sequence: BigInt(reading.sequence),
      timestampMs: reading.timestampMs,
      energyImportedMilliWattHours: BigInt(reading.energyImportedMilliWattHours),
      energyExportedMilliWattHours: BigInt(reading.energyExportedMilliWattHours),
      quality: reading.quality,
    });
  });
  const toAllocationChannel = (channel: FootprintChannelInput): AllocationChannel => ({
    deviceId: channel.deviceId,
    channel: channel.channel,
    config: channel.config,
    readings: byChannel.get(channelKey(channel.deviceId, channel.channel)) ?? [],
  });
  const machines = [...parameters.machines]
    .map((machine) => ({
      machineId: machine.machineId.toLowerCase() as Hex,
      channels: [...machine.channels].sort(compareChannel),
    }))
    .sort((a, b) => compareHex(a.machineId, b.machineId));
  const overheadChannels = [...parameters.overheadChannels].sort(compareChannel);

  const allocation = allocateScope({
    scope,
    machines: machines.map((machine) => ({
      machineId: machine.machineId,
      channels: machine.channels.map(toAllocationChannel),
    })),
    overheadChannels: overheadChannels.map(toAllocationChannel),
    jobs,
    hourFactors: parameters.hourFactors,
    rules,
  });

  const lotTotal: AllocatedAmounts = {
    energyMilliWattHours: 0n,
    emissionsLocationMilligramsCo2e: 0n,
    emissionsMarketMilligramsCo2e: 0n,
  };
  let units = 0n;
  allocation.jobs.forEach((result, index) => {
    if (!lotSet.has(result.jobId.toLowerCase())) return;
    units += jobs[index]?.units ?? 0n;
    lotTotal.energyMilliWattHours += result.total.energyMilliWattHours;
    lotTotal.emissionsLocationMilligramsCo2e += result.total.emissionsLocationMilligramsCo2e;
    lotTotal.emissionsMarketMilligramsCo2e += result.total.emissionsMarketMilligramsCo2e;
  });
  const factors: FootprintDocument["factors"] = [];
  for (const hour of parameters.hourFactors) {
    for (const factor of [hour.location, hour.market]) {
      const ref = factorRef(factor);
      if (!factors.some((entry) => entry.ref === ref))
        factors.push({ ref, factor: structuredClone(factor) });
    }
  }
  const usedRefs = new Set(
    allocation.hours.flatMap((hour) => [hour.locationFactorRef, hour.marketFactorRef]),
  );
  const channelJson = (channel: FootprintChannelInput) => ({
    deviceId: channel.deviceId.toLowerCase() as Hex,
    channel: channel.channel,
    config: configToJson(channel.config),
  });

  const document: FootprintDocument = {
    format: FOOTPRINT_DOCUMENT_FORMAT,
    siteId: siteId.toLowerCase() as Hex,
    productId: productId.toLowerCase() as Hex,
    lot: {
      jobIds: lotJobIds,
      units: units.toString(),
      total: amountsJson(lotTotal),
      perUnit: amountsJson({
        energyMilliWattHours: lotTotal.energyMilliWattHours / units,
        emissionsLocationMilligramsCo2e: lotTotal.emissionsLocationMilligramsCo2e / units,
        emissionsMarketMilligramsCo2e: lotTotal.emissionsMarketMilligramsCo2e / units,
      }),
    },
    scope: { startMs: scope.startMs, endMs: scope.endMs },
    rules: { overlap: rules.overlap, idle: rules.idle, overhead: rules.overhead },
    rounding: FOOTPRINT_ROUNDING,
    machines: machines.map((machine, index) => {
      const result = allocation.machines[index];
      if (result === undefined) throw new InvalidInputError("machines", "missing result");
      return {
        machineId: machine.machineId,
        channels: machine.channels.map(channelJson),
        metered: amountsJson(result.metered),
        idle: amountsJson(result.idle),
        idleUnallocated: amountsJson(result.idleUnallocated),
      };
    }),
    overhead: {
      channels: overheadChannels.map(channelJson),
      metered: amountsJson(allocation.overhead.metered),
      unallocated: amountsJson(allocation.overhead.unallocated),
    },
    jobs: allocation.jobs.map((result, index) => {
      const job = jobs[index];
      if (job === undefined) throw new InvalidInputError("jobs", "missing job");
      return {
        jobId: job.jobId,
        productId: job.productId.toLowerCase() as Hex,
        machineIds: job.machineIds.map((id) => id.toLowerCase() as Hex),
        startMs: job.startMs,
        stopMs: job.stopMs,
        units: job.units.toString(),
        inLot: lotSet.has(job.jobId),
        inScope: result.inScope,
        machineMs: result.machineMs.toString(),
        direct: amountsJson(result.direct),
        idle: amountsJson(result.idle),
        overhead: amountsJson(result.overhead),
        total: amountsJson(result.total),
      };
    }),
    hours: allocation.hours.map((hour) => ({
      startMs: hour.startMs,
      endMs: hour.endMs,
      energyMilliWattHours: hour.energyMilliWattHours.toString(),
      emissionsLocationMilligramsCo2e: hour.emissionsLocationMilligramsCo2e.toString(),
      emissionsMarketMilligramsCo2e: hour.emissionsMarketMilligramsCo2e.toString(),
      locationFactorRef: hour.locationFactorRef,
      marketFactorRef: hour.marketFactorRef,
    })),
    factors: factors.filter((entry) => usedRefs.has(entry.ref)),
    metered: amountsJson(allocation.metered),
    unallocated: amountsJson(allocation.unallocated),
    flags: allocation.flags,
    containers,
    readings: readings.map((disclosure) => ({
      format: disclosure.format,
      containerId: disclosure.containerId,
      reading: disclosure.reading,
      proof: disclosure.proof,
    })),
  };
  const documentBytes = canonicalJsonBytes(document);
  const { cid, blocks } = computeUnixfsBlocks(documentBytes);
  const lotId = hexToBigInt(
    keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32[]" }],
        [document.siteId, document.productId, lotJobIds],
      ),
    ),
  );
  return {
    document,
    documentBytes,
    cid,
    blocks,
    allocation,
    lotId,
    footprint: {
      siteId: document.siteId,
      productId: document.productId,
      jobIds: lotJobIds,
      units,
      cid: cidToHex(cid),
      energyMilliWattHours: lotTotal.energyMilliWattHours,
      emissionsLocationMilligramsCo2e: lotTotal.emissionsLocationMilligramsCo2e,
      emissionsMarketMilligramsCo2e: lotTotal.emissionsMarketMilligramsCo2e,
      nonce: parameters.nonce ?? lotId,
    },
  };
}
