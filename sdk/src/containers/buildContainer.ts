import { z } from "zod";
import type { Hex } from "viem";
import { invalidInputFromZod } from "../accounting/invalidInputFromZod.ts";
import type { EmissionFlag } from "../accounting/locationBasedEmissions.ts";
import type { CounterBoundary, CounterChannelConfig, CounterReading } from "../accounting/types.ts";
import { computeUnixfsBlocks } from "../cid/computeUnixfsBlocks.ts";
import type { UnixfsBlock } from "../cid/computeUnixfsBlocks.ts";
import { cidToHex } from "../cid/cidToHex.ts";
import type { CID } from "multiformats/cid";
import { DEVICE_AUTH_SCHEMES } from "../device/deviceMessageSchema.ts";
import { sealContainerDocument } from "../disclosure/sealContainerDocument.ts";
import type { SealedContainer } from "../disclosure/sealedContainerSchema.ts";
import type { ContainerHeader } from "../eip712/messageTypes.ts";
import { InvalidInputError } from "../errors/index.ts";
import { factorListRef } from "../factors/factorListRef.ts";
import { factorRef } from "../factors/factorRef.ts";
import { findFactor } from "../factors/findFactor.ts";
import { NoEmissionFactorError } from "../factors/NoEmissionFactorError.ts";
import type {
  ContractualInstrument,
  EnergySourceName,
} from "../accounting/contractualInstruments.ts";
import { ENERGY_SOURCES } from "../accounting/contractualInstruments.ts";
import { computeContainerScope2 } from "./internal/computeContainerScope2.ts";
import type { ContainerScope2Result, ResidualChoice } from "./internal/computeContainerScope2.ts";
import type { FactorPolicy } from "../factors/findFactor.ts";
import type { EmissionFactorRecord, FactorDataset } from "../factors/types.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import type { MerkleTree } from "../merkle/MerkleTree.ts";
import { buildReadingTree } from "../readings/buildReadingTree.ts";
import { createReadingSaltDeriver } from "../readings/createReadingSaltDeriver.ts";
import type { ReadingLeaf } from "../readings/readingLeaf.ts";
import type { ReadingLeafValues } from "../readings/readingLeafToValues.ts";
import { periodBoundaryMsToSeconds } from "../units/periodBoundaryMsToSeconds.ts";
import {
  CONTAINER_DOCUMENT_FORMAT,
  CONTAINER_DOCUMENT_FORMAT_V2,
  CONTAINER_DOCUMENT_FORMAT_V3,
  CONTAINER_EMISSION_FLAGS,
} from "./containerDocumentSchema.ts";
import type { HourlyFactor } from "../factors/resolveHourlyFactors.ts";
import type {
  ContainerDocument,
  ContainerReadingEntry,
  ReadingDetails,
} from "./containerDocumentSchema.ts";
import { containerHeaderFromDocument } from "./containerHeaderFromDocument.ts";
import { containerReadingToLeaf } from "./containerReadingToLeaf.ts";
import { boundaryToJson, configToJson } from "./internal/boundaryJson.ts";
import { computeContainerEmissions } from "./internal/computeContainerEmissions.ts";
import { computeContainerEnergy } from "./internal/computeContainerEnergy.ts";
import { selectChannelReadings } from "./internal/selectChannelReadings.ts";

/** One reading as the gateway stored it. */
export interface ContainerReadingInput {
  deviceId: Hex;
  channel: number;
  sequence: bigint;
  timestampMs: number;
  energyImportedMilliWattHours: bigint;
  energyExportedMilliWattHours: bigint;
  quality: "measured" | "estimated" | "imported";
  /** How the device's message was authenticated (a signature scheme, or how an unsigned source is trusted). */
  authentication: (typeof DEVICE_AUTH_SCHEMES)[number];
  counterEpoch?: number | undefined;
  powerMilliWatts?: number | undefined;
  voltageMillivolts?: number | undefined;
  currentMilliamps?: number | undefined;
  powerFactorPerMille?: number | undefined;
}

/** One device channel that the stream sums. */
export interface ContainerChannelInput {
  deviceId: Hex;
  channel: number;
  config: CounterChannelConfig;
  /** The previous container's end boundary for this channel, when chained (see cutCounterEnergy). */
  startBoundary?: CounterBoundary | undefined;
  /**
   * `generation`: an on-site generator (a SunSpec inverter: its exported counter is what it
   * produced), netted hour by hour against the consumption channels; needs `factors.scope2`.
   */
  role?: "consumption" | "generation" | undefined;
  /** What a generation channel runs on (solar, wind, …). */
  source?: EnergySourceName | undefined;
}

/** Where each hour's factors come from. */
export interface ContainerFactorSources {
  /** Location-based: grid-average datasets in priority order and the site's grid region. */
  location: {
    datasets: readonly FactorDataset[];
    region: string;
    policy?: FactorPolicy | undefined;
    /**
     * Factors already resolved for the container's clock hours (resolveHourlyFactors
     * over a live source, each fallback with its reason), aligned with the hours
     * hourCutsMs gives for the period. When given, the document is `ei-container-v2`
     * and records every fallback.
     */
    hourlyFactors?: readonly HourlyFactor[] | undefined;
  };
  /**
   * Market-based: a residual-mix or supplier-specific dataset and region. When
   * omitted, the location factor stands in and the container is flagged
   * `location-factors-used-no-residual-mix` (disclosed, never a market claim).
   */
  market?:
    | { datasets: readonly FactorDataset[]; region: string; policy?: FactorPolicy | undefined }
    | undefined;
  /**
   * Both Scope 2 methods inside the container (`ei-container-v3`): the site's market boundary,
   * its contractual instruments with the volume each had used before this container, and the
   * residual-mix datasets (a pending region falls back to the location factor, flagged).
   */
  scope2?:
    | {
        market: string;
        instruments: readonly ContractualInstrument[];
        usedBefore: readonly { certificateId: string; milliWattHours: bigint }[];
        residualMix?:
          | {
              datasets: readonly FactorDataset[];
              region: string;
              policy?: FactorPolicy | undefined;
            }
          | undefined;
      }
    | undefined;
}

/** Whether the readings are published or sealed to the site's auditors. */
export type ContainerDisclosure =
  { mode: "public" } | { mode: "sealed"; recipients: readonly (Uint8Array | Hex)[] };

export interface BuildContainerParameters {
  siteId: Hex;
  streamId: Hex;
  /** Unix ms, a whole second, inclusive. */
  periodStartMs: number;
  /** Unix ms, a whole second, exclusive. */
  periodEndMs: number;
  channels: readonly ContainerChannelInput[];
  /** The channels' readings, any order; the builder keeps those the period depends on. */
  readings: readonly ContainerReadingInput[];
  /** The site's salt secret (≥ 16 bytes): reading salts and sealing keys derive from it. */
  siteSecret: Uint8Array | Hex;
  factors: ContainerFactorSources;
  /** 0 for the first anchoring of a period; n + 1 corrects revision n. */
  revision: number;
  /** The id of the container this one corrects, 0n for revision 0. */
  supersedes: bigint;
  disclosure: ContainerDisclosure;
}

export interface BuildContainerReturnType {
  /** The full container document, readings included. */
  document: ContainerDocument;
  /** The bytes stored in IPFS and named by `cid`: JCS of the document, or of the sealed envelope. */
  documentBytes: Uint8Array;
  /** The sealed envelope when disclosure is `sealed`. */
  sealed: SealedContainer | undefined;
  /** The CID of `documentBytes` (`ipfs add --cid-version=1`). */
  cid: CID;
  /** The UnixFS blocks of `documentBytes`, root last. */
  blocks: UnixfsBlock[];
  /** Leaf i is `document.readings[i]`. */
  leaves: ReadingLeaf[];
  tree: MerkleTree<ReadingLeafValues>;
  /** The EIP-712 header to sign and anchor: times in seconds, the CID as bytes. */
  header: ContainerHeader;
}
export type BuildContainerErrorType = InvalidInputError;

const hex32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/u, "expected 0x and 64 hex digits (bytes32)")
  .transform((value) => value.toLowerCase() as Hex);
const uint64 = z
  .bigint()
  .min(0n)
  .max(2n ** 64n - 1n);
const optionalInt = (min: number, max: number) => z.int().min(min).max(max).optional();

const readingSchema = z.object({
  deviceId: hex32,
  channel: z.int().min(0).max(0xffff_ffff),
  sequence: uint64,
  timestampMs: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  energyImportedMilliWattHours: uint64,
  energyExportedMilliWattHours: uint64,
  quality: z.enum(["measured", "estimated", "imported"]),
  authentication: z.enum(DEVICE_AUTH_SCHEMES),
  counterEpoch: optionalInt(0, Number.MAX_SAFE_INTEGER),
  powerMilliWatts: optionalInt(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  voltageMillivolts: optionalInt(0, Number.MAX_SAFE_INTEGER),
  currentMilliamps: optionalInt(0, Number.MAX_SAFE_INTEGER),
  powerFactorPerMille: optionalInt(-1000, 1000),
});

const channelSchema = z.object({
  deviceId: hex32,
  channel: z.int().min(0).max(0xffff_ffff),
  config: z.object({
    counterModulusMilliWattHours: z.bigint().positive().optional(),
    resetThresholdMilliWattHours: z.bigint().nonnegative(),
    maxPowerMilliWatts: z.bigint().positive().optional(),
    maxGapMs: z.int().positive().max(Number.MAX_SAFE_INTEGER),
  }),
  startBoundary: z.custom<CounterBoundary>((value) => typeof value === "object").optional(),
  role: z.enum(["consumption", "generation"]).optional(),
  source: z.enum(ENERGY_SOURCES).optional(),
});

const parametersSchema = z.object({
  siteId: hex32,
  streamId: hex32,
  periodStartMs: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  periodEndMs: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  channels: z.array(channelSchema).min(1),
  readings: z.array(readingSchema),
  revision: z.int().min(0).max(0xffff_ffff),
  supersedes: z
    .bigint()
    .min(0n)
    .max(2n ** 256n - 1n),
});

type ParsedReading = z.infer<typeof readingSchema>;

const channelKey = (deviceId: string, channel: number) => `${deviceId}/${channel}`;

/**
 * Builds a container: the canonical document of a site's stream over one
 * period, with every reading the period's energy depends on (the readings
 * inside it and the boundary readings used for interpolation, each with its
 * salt, details and authentication), per-channel and per-hour energy from the
 * counters (sdk accounting), location- and market-based emissions per hour
 * (sdk factors), flags, the Merkle root over the salted readings, the CID of
 * the stored bytes with their IPFS blocks, and the EIP-712 header to sign.
 *
 * Deterministic: the same inputs give a byte-identical document and the same
 * CID, so a gateway that crashed between building and anchoring rebuilds the
 * very container it may have already stored or signed. No clock is read: a
 * period is built once it is closed, so a boundary with no reading after it
 * is `held` (the gateway decides when to close, e.g. with periodCounterEnergy
 * and its grace period).
 *
 * @throws {NoEmissionFactorError} when no factor covers an hour (never a silent zero).
 * @throws {InvalidInputError} naming the bad field, for a period that is not
 *   whole seconds, a reading of an undeclared channel, no readings at all, bad
 *   counters, or no emission factor for an hour.
 * @example
 * ```ts
 * const container = buildContainer({
 *   siteId, streamId, periodStartMs: Date.UTC(2025, 5, 1, 12), periodEndMs: Date.UTC(2025, 5, 1, 12, 15),
 *   channels: [{ deviceId, channel: 0, config: { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 } }],
 *   readings, siteSecret, factors: { location: { datasets: loadShippedFactorDatasets(), region: "GB" } },
 *   revision: 0, supersedes: 0n, disclosure: { mode: "public" },
 * });
 * await blockstore.putMany(container.blocks);
 * const signature = await signEip712TypedData({ signer, typedData: buildContainerBatchTypedData({ domain, containers: [container.header] }) });
 * ```
 */
export function buildContainer(parameters: BuildContainerParameters): BuildContainerReturnType {
  const parsed = parametersSchema.safeParse(parameters);
  if (!parsed.success) throw invalidInputFromZod("parameters", parsed.error);
  const input = parsed.data;
  periodBoundaryMsToSeconds(input.periodStartMs, "periodStartMs");
  periodBoundaryMsToSeconds(input.periodEndMs, "periodEndMs");
  if (input.periodEndMs <= input.periodStartMs) {
    throw new InvalidInputError(
      "periodEndMs",
      `${input.periodEndMs} is not after the start ${input.periodStartMs}`,
    );
  }
  if (input.revision === 0 && input.supersedes !== 0n) {
    throw new InvalidInputError("supersedes", "revision 0 supersedes nothing (must be 0n)");
  }
  if (input.revision > 0 && input.supersedes === 0n) {
    throw new InvalidInputError(
      "supersedes",
      `revision ${input.revision} must name the container it corrects`,
    );
  }

  // Channels in a fixed order (device id, then channel number): the input order must not change the bytes.
  const channels = input.channels
    .map((channel, index) => ({ ...channel, index }))
    .sort((a, b) => compareChannel(a, b));
  const readingsByChannel = new Map<string, ParsedReading[]>();
  for (const channel of channels) {
    const key = channelKey(channel.deviceId, channel.channel);
    if (readingsByChannel.has(key)) {
      throw new InvalidInputError(`channels[${channel.index}]`, `channel ${key} is listed twice`);
    }
    readingsByChannel.set(key, []);
  }
  input.readings.forEach((reading, index) => {
    const list = readingsByChannel.get(channelKey(reading.deviceId, reading.channel));
    if (list === undefined) {
      throw new InvalidInputError(
        `readings[${index}]`,
        `device ${reading.deviceId} channel ${reading.channel} is not one of the stream's channels`,
        { hints: ["Pass only readings of the channels the stream sums, or declare the channel."] },
      );
    }
    list.push(reading);
  });

  const saltOf = createReadingSaltDeriver(parameters.siteSecret);
  const entries: ContainerReadingEntry[] = [];
  const energyInputs = channels.map((channel) => {
    const all = (readingsByChannel.get(channelKey(channel.deviceId, channel.channel)) ?? [])
      .slice()
      .sort((a, b) => a.timestampMs - b.timestampMs || compareBigInt(a.sequence, b.sequence));
    const selected = selectChannelReadings(
      all,
      input.periodStartMs,
      input.periodEndMs,
      channel.startBoundary?.anchor?.timestampMs,
    );
    for (const reading of selected)
      entries.push(toEntry(reading, saltOf(reading.deviceId, reading.channel, reading.sequence)));
    return {
      deviceId: channel.deviceId,
      channel: channel.channel,
      config: channel.config,
      startBoundary: channel.startBoundary,
      readings: selected.map(toCounterReading),
      readingCount: selected.length,
      role: channel.role ?? ("consumption" as const),
      source: channel.source,
    };
  });
  if (entries.length === 0) {
    throw new InvalidInputError(
      "readings",
      "no reading of any channel: there is nothing to anchor",
      {
        hints: ["A container commits to readings; wait for data or record the outage instead."],
      },
    );
  }

  const scope2Inputs = parameters.factors.scope2;
  energyInputs.forEach((channel, index) => {
    if (channel.role === "generation" && scope2Inputs === undefined)
      throw new InvalidInputError(
        `channels[${index}].role`,
        "a generation channel is netted by the market-based method: give factors.scope2",
      );
    if (channel.role === "generation" && channel.source === undefined)
      throw new InvalidInputError(`channels[${index}].source`, "say what the generator runs on");
  });
  // All channels for each channel's boundaries and flags; the consumption channels for the hours.
  const allEnergy = computeContainerEnergy(input.periodStartMs, input.periodEndMs, energyInputs);
  const consumptionInputs = energyInputs.filter((channel) => channel.role === "consumption");
  if (consumptionInputs.length === 0)
    throw new InvalidInputError("channels", "a stream needs at least one consumption channel");
  const energy =
    scope2Inputs === undefined
      ? allEnergy
      : {
          ...computeContainerEnergy(input.periodStartMs, input.periodEndMs, consumptionInputs),
          channels: allEnergy.channels,
          flags: allEnergy.flags,
        };
  const emissionFlags = new Set<EmissionFlag>();
  const factorOf = (
    source: NonNullable<ContainerFactorSources["market"]>,
    startMs: number,
  ): { factor: EmissionFactorRecord; ref: Hex; match: "in-period" | "latest-earlier-period" } => {
    const found = findFactor(source.datasets, source.region, startMs, source.policy ?? "in-period");
    if (found.match === "latest-earlier-period") emissionFlags.add("factor-latest-earlier-period");
    if (found.factor.unit === "g CO2/kWh") emissionFlags.add("factor-co2-only");
    if (found.factor.kind === "lifecycle") emissionFlags.add("factor-lifecycle");
    return found;
  };
  const liveHours = parameters.factors.location.hourlyFactors;
  if (liveHours !== undefined && liveHours.length !== energy.hours.length)
    throw new InvalidInputError(
      "factors.location.hourlyFactors",
      `${liveHours.length} factors for ${energy.hours.length} hours`,
    );
  const location = energy.hours.map((hour, index) => {
    const given = liveHours?.[index];
    if (given === undefined) return factorOf(parameters.factors.location, hour.startMs);
    if (given.startMs !== hour.startMs || given.endMs !== hour.endMs)
      throw new InvalidInputError(
        `factors.location.hourlyFactors[${index}]`,
        `is for [${given.startMs}, ${given.endMs}), the hour is [${hour.startMs}, ${hour.endMs})`,
      );
    if (given.match === "latest-earlier-period") emissionFlags.add("factor-latest-earlier-period");
    if (given.factor.unit === "g CO2/kWh") emissionFlags.add("factor-co2-only");
    if (given.factor.kind === "lifecycle") emissionFlags.add("factor-lifecycle");
    if (given.fallback !== undefined) emissionFlags.add("factor-live-fallback-to-shipped");
    if (given.estimated) emissionFlags.add("factor-estimated");
    return {
      factor: given.factor,
      ref: given.ref,
      match: given.match === "latest-earlier-period" ? given.match : ("in-period" as const),
    };
  });
  const marketSource = parameters.factors.market;
  let scope2: ContainerScope2Result | undefined;
  let residual: ResidualChoice[] = [];
  let market: {
    factor: EmissionFactorRecord;
    ref: Hex;
    match: "in-period" | "latest-earlier-period";
  }[];
  let emissions: { location: bigint; market: bigint };
  if (scope2Inputs === undefined) {
    // v1/v2: no instruments or on-site generation; without a residual-mix dataset the market
    // figure uses the location factors, and both facts are flagged.
    emissionFlags.add("no-contractual-instruments-or-on-site-generation-registered");
    if (marketSource === undefined) emissionFlags.add("location-factors-used-no-residual-mix");
    market =
      marketSource === undefined
        ? location
        : energy.hours.map((hour) => factorOf(marketSource, hour.startMs));
    emissions = computeContainerEmissions(
      energy.hours,
      location.map((entry) => entry.factor),
      market.map((entry) => entry.factor),
    );
  } else {
    const mix = scope2Inputs.residualMix;
    residual = energy.hours.map((hour, index): ResidualChoice => {
      const loc = location[index];
      if (loc === undefined) throw new InvalidInputError("hours", "missing location factor");
      if (mix !== undefined) {
        try {
          const found = findFactor(
            mix.datasets,
            mix.region,
            hour.startMs,
            mix.policy ?? "in-period",
          );
          return {
            factor: found.factor,
            ref: found.ref,
            basis: "residual-mix",
            match: found.match,
          };
        } catch (error) {
          // A pending residual mix is disclosed and replaced by the location factor, never by zero.
          if (!(error instanceof NoEmissionFactorError)) throw error;
        }
      }
      return { factor: loc.factor, ref: loc.ref, basis: "location-fallback", match: loc.match };
    });
    const generators = energyInputs.filter((channel) => channel.role === "generation");
    scope2 = computeContainerScope2({
      siteId: input.siteId,
      streamId: input.streamId,
      periodStartMs: input.periodStartMs,
      market: scope2Inputs.market,
      hours: energy.hours.map((hour) => ({
        startMs: hour.startMs,
        endMs: hour.endMs,
        consumptionMilliWattHours: hour.energyImportedMilliWattHours,
      })),
      generation: generators.map((generator) => ({
        source: generator.source ?? "other",
        milliWattHours: computeContainerEnergy(input.periodStartMs, input.periodEndMs, [
          generator,
        ]).hours.map((hour) => hour.energyExportedMilliWattHours),
      })),
      instruments: scope2Inputs.instruments,
      usedBefore: scope2Inputs.usedBefore,
      location,
      residual,
    });
    for (const flag of scope2.flags) emissionFlags.add(flag);
    market = scope2.marketRates.map((factor) => ({
      factor,
      ref: factorRef(factor),
      match: "in-period" as const,
    }));
    emissions = {
      location: scope2.emissionsLocationMilligramsCo2e,
      market: scope2.emissionsMarketMilligramsCo2e,
    };
  }
  const usedFactors = [...location, ...residual, ...market].map((entry) => entry.factor);
  const factors: ContainerDocument["factors"] = [];
  for (const factor of usedFactors) {
    const ref = factorRef(factor);
    if (!factors.some((entry) => entry.ref === ref))
      factors.push({ ref, factor: structuredClone(factor) });
  }

  const leaves = entries.map(containerReadingToLeaf);
  const tree = buildReadingTree(leaves);
  const document: ContainerDocument = {
    format:
      scope2 !== undefined
        ? CONTAINER_DOCUMENT_FORMAT_V3
        : liveHours === undefined
          ? CONTAINER_DOCUMENT_FORMAT
          : CONTAINER_DOCUMENT_FORMAT_V2,
    siteId: input.siteId,
    streamId: input.streamId,
    period: { startMs: input.periodStartMs, endMs: input.periodEndMs },
    revision: input.revision,
    supersedes: input.supersedes.toString(),
    merkleRoot: tree.root,
    readingCount: entries.length,
    totals: {
      energyImportedMilliWattHours: energy.energyImportedMilliWattHours.toString(),
      energyExportedMilliWattHours: energy.energyExportedMilliWattHours.toString(),
      emissionsLocationMilligramsCo2e: emissions.location.toString(),
      emissionsMarketMilligramsCo2e: emissions.market.toString(),
    },
    flags: {
      energy: energy.flags,
      emissions: CONTAINER_EMISSION_FLAGS.filter((flag) => emissionFlags.has(flag)),
    },
    factorRef: factorListRef(usedFactors),
    factors,
    hours: energy.hours.map((hour, index) => {
      const loc = location[index];
      const mkt = market[index];
      if (loc === undefined || mkt === undefined)
        throw new InvalidInputError("hours", "missing factor");
      return {
        startMs: hour.startMs,
        endMs: hour.endMs,
        energyImportedMilliWattHours: hour.energyImportedMilliWattHours.toString(),
        energyExportedMilliWattHours: hour.energyExportedMilliWattHours.toString(),
        locationFactorRef: loc.ref,
        locationFactorMatch: loc.match,
        marketFactorRef: mkt.ref,
        marketFactorMatch: mkt.match,
        marketBasis:
          scope2 !== undefined
            ? "market-based-rate"
            : marketSource === undefined
              ? "location-fallback"
              : "market-factor",
        ...liveHourFields(liveHours?.[index]),
      };
    }),
    channels: energy.channels.map((result, index) => {
      const source = energyInputs[index];
      if (source === undefined) throw new InvalidInputError("channels", "missing channel");
      return {
        deviceId: source.deviceId,
        channel: source.channel,
        config: configToJson(source.config),
        startBoundarySource: source.startBoundary === undefined ? "readings" : "previous-container",
        startBoundary: boundaryToJson(result.startBoundary),
        endBoundary: boundaryToJson(result.endBoundary),
        energyImportedMilliWattHours: result.energyImportedMilliWattHours.toString(),
        energyExportedMilliWattHours: result.energyExportedMilliWattHours.toString(),
        readingCount: source.readingCount,
        flags: result.flags,
        ...(scope2 === undefined
          ? {}
          : {
              role: source.role,
              ...(source.source === undefined ? {} : { source: source.source }),
            }),
      };
    }),
    ...(scope2 === undefined ? {} : { scope2: scope2.section }),
    readings: entries,
  };

  const sealed =
    parameters.disclosure.mode === "sealed"
      ? sealContainerDocument({
          document,
          siteSecret: parameters.siteSecret,
          recipients: parameters.disclosure.recipients,
        })
      : undefined;
  const documentBytes = canonicalJsonBytes(sealed ?? document);
  const { cid, blocks } = computeUnixfsBlocks(documentBytes);
  return {
    document,
    documentBytes,
    sealed,
    cid,
    blocks,
    leaves,
    tree,
    header: containerHeaderFromDocument(document, cidToHex(cid)),
  };
}

/** The v2 per-hour record of a live factor: a fallback with its reason, or an estimate; nothing otherwise. */
function liveHourFields(
  given: HourlyFactor | undefined,
): Pick<ContainerDocument["hours"][number], "locationFallback" | "locationEstimated"> {
  const fields: Pick<ContainerDocument["hours"][number], "locationFallback" | "locationEstimated"> =
    {};
  // Only present keys enter the JCS bytes.
  if (given?.fallback !== undefined)
    fields.locationFallback = {
      sourceId: given.fallback.sourceId,
      reason: given.fallback.reason,
      detail: given.fallback.detail,
    };
  if (given?.estimated === true) fields.locationEstimated = true;
  return fields;
}

function toEntry(reading: ParsedReading, salt: Hex): ContainerReadingEntry {
  const details: ReadingDetails = {
    authentication: reading.authentication,
    counterEpoch: reading.counterEpoch,
    powerMilliWatts: reading.powerMilliWatts,
    voltageMillivolts: reading.voltageMillivolts,
    currentMilliamps: reading.currentMilliamps,
    powerFactorPerMille: reading.powerFactorPerMille,
  };
  // Absent optional details are left out (not null), so JCS and the detailsHash see only what was measured.
  for (const key of Object.keys(details) as (keyof ReadingDetails)[]) {
    if (details[key] === undefined) Reflect.deleteProperty(details, key);
  }
  return {
    salt,
    deviceId: reading.deviceId,
    channel: reading.channel,
    sequence: reading.sequence.toString(),
    timestampMs: reading.timestampMs,
    energyImportedMilliWattHours: reading.energyImportedMilliWattHours.toString(),
    energyExportedMilliWattHours: reading.energyExportedMilliWattHours.toString(),
    quality: reading.quality,
    details,
  };
}

function toCounterReading(reading: ParsedReading): CounterReading {
  return {
    sequence: reading.sequence,
    timestampMs: reading.timestampMs,
    energyImportedMilliWattHours: reading.energyImportedMilliWattHours,
    energyExportedMilliWattHours: reading.energyExportedMilliWattHours,
    quality: reading.quality,
  };
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareChannel(
  a: { deviceId: string; channel: number },
  b: { deviceId: string; channel: number },
): number {
  return a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.channel - b.channel;
}
