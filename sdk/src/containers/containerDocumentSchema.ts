import { z } from "zod";
import type { EmissionFlag } from "../accounting/locationBasedEmissions.ts";
import { ENERGY_FLAG_ORDER } from "../accounting/types.ts";
import { ENERGY_SOURCES, INSTRUMENT_TYPES } from "../accounting/contractualInstruments.ts";
import { DEVICE_AUTH_SCHEMES } from "../device/deviceMessageSchema.ts";

/**
 * The container document, `ei-container-v1`: everything a verifier needs to
 * recompute a container's header from its readings alone (docs/formats.md,
 * "Container document"). Its RFC 8785 (JCS) bytes are what the CID names.
 *
 * Integers that can pass 2^53 (counters, energies, emissions, sequence
 * numbers, container ids) are decimal strings; Unix-ms times and small
 * integers are JSON numbers. Objects are strict: a field the schema does not
 * know is refused, since the verifier could not check it.
 */
export const CONTAINER_DOCUMENT_FORMAT = "ei-container-v1";
/**
 * `ei-container-v2`: v1 plus, per hour, where a live grid source was
 * configured, `locationFallback` (the hour fell back to the shipped dataset,
 * with the source's reason) and `locationEstimated` (the live figure is a
 * forecast or model estimate), and the matching emission flags. Written only
 * when the builder is given pre-resolved live factors; v1 documents stay valid.
 */
export const CONTAINER_DOCUMENT_FORMAT_V2 = "ei-container-v2";
/**
 * `ei-container-v3`: both Scope 2 methods inside the container. Channels say their `role`
 * (consumption, or on-site `generation` with its `source`: a SunSpec inverter's produced energy);
 * the hours and totals are the consumption channels'; `scope2` holds, per hour, on-site netting,
 * the contractual instruments applied (with the volume each had used before), the residual factor,
 * the hourly matching figures and the market-based emissions, beside the location-based figure of
 * the grid import. Each hour's `marketFactorRef` names a derived market-based rate record, so lot
 * footprints allocate the market-based figure hour by hour. v1 and v2 documents stay valid.
 */
export const CONTAINER_DOCUMENT_FORMAT_V3 = "ei-container-v3";
export const CONTAINER_DOCUMENT_FORMATS = [
  CONTAINER_DOCUMENT_FORMAT,
  CONTAINER_DOCUMENT_FORMAT_V2,
  CONTAINER_DOCUMENT_FORMAT_V3,
] as const;

/**
 * Emission flags a container can carry, in listing order: the accounting
 * module's EmissionFlag vocabulary (docs/accounting.md), so a container and a
 * job allocation say the same thing in the same words.
 */
export const CONTAINER_EMISSION_FLAGS = [
  "factor-latest-earlier-period",
  "factor-co2-only",
  "factor-lifecycle",
  "no-contractual-instruments-or-on-site-generation-registered",
  "location-factors-used-no-residual-mix",
  "factor-live-fallback-to-shipped",
  "factor-estimated",
  "instrument-rejected",
] as const satisfies readonly EmissionFlag[];

export const decimalStringSchema = z
  .string()
  .regex(/^(?:0|[1-9][0-9]*)$/u, "expected a non-negative decimal integer string");
export const bytes32Schema = z
  .string()
  .regex(/^0x[0-9a-f]{64}$/u, "expected 0x and 64 lowercase hex digits")
  .transform((value) => value as `0x${string}`);
const timeMsSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const energyFlagSchema = z.enum(ENERGY_FLAG_ORDER as readonly [string, ...string[]]);

/** A counter boundary (accounting CounterBoundary) with bigints as decimal strings. */
export const counterBoundarySchema = z.strictObject({
  timestampMs: timeMsSchema,
  anchor: z.strictObject({ sequence: decimalStringSchema, timestampMs: timeMsSchema }).nullable(),
  importedSinceAnchorMilliWattHours: decimalStringSchema,
  exportedSinceAnchorMilliWattHours: decimalStringSchema,
  method: z.enum(["reading", "interpolated", "held", "first-reading", "no-readings"]),
});

/** A channel's declared counter behaviour (accounting CounterChannelConfig). */
export const channelConfigSchema = z.strictObject({
  counterModulusMilliWattHours: decimalStringSchema.optional(),
  resetThresholdMilliWattHours: decimalStringSchema,
  maxPowerMilliWatts: decimalStringSchema.optional(),
  maxGapMs: z.int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** One device channel of the stream and its energy over the period. */
export const containerChannelSchema = z.strictObject({
  deviceId: bytes32Schema,
  channel: z.int().min(0).max(0xffff_ffff),
  config: channelConfigSchema,
  /** `previous-container`: handed over from the previous period's end boundary (chained). */
  startBoundarySource: z.enum(["readings", "previous-container"]),
  startBoundary: counterBoundarySchema,
  endBoundary: counterBoundarySchema,
  energyImportedMilliWattHours: decimalStringSchema,
  energyExportedMilliWattHours: decimalStringSchema,
  readingCount: z.int().min(0),
  flags: z.strictObject({
    imported: z.array(energyFlagSchema),
    exported: z.array(energyFlagSchema),
  }),
  /** v3: `generation` channels are on-site generators (their exported counter is what they produced). */
  role: z.enum(["consumption", "generation"]).optional(),
  /** v3, generation channels: what the generator runs on (solar, wind, …). */
  source: z.enum(ENERGY_SOURCES).optional(),
});

/** Optional measured values and how the reading was authenticated; hashed into the leaf's detailsHash. */
export const readingDetailsSchema = z.strictObject({
  authentication: z.enum(DEVICE_AUTH_SCHEMES),
  counterEpoch: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  powerMilliWatts: z.int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).optional(),
  voltageMillivolts: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  currentMilliamps: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  powerFactorPerMille: z.int().min(-1000).max(1000).optional(),
});

/** One reading: its Merkle leaf fields (detailsHash is recomputed from `details`). */
export const containerReadingSchema = z.strictObject({
  salt: bytes32Schema,
  deviceId: bytes32Schema,
  channel: z.int().min(0).max(0xffff_ffff),
  sequence: decimalStringSchema,
  timestampMs: timeMsSchema,
  energyImportedMilliWattHours: decimalStringSchema,
  energyExportedMilliWattHours: decimalStringSchema,
  quality: z.enum(["measured", "estimated", "imported"]),
  details: readingDetailsSchema,
});

/** One clock hour (or the part of it inside the period) of the stream. */
export const containerHourSchema = z.strictObject({
  startMs: timeMsSchema,
  endMs: timeMsSchema,
  energyImportedMilliWattHours: decimalStringSchema,
  energyExportedMilliWattHours: decimalStringSchema,
  locationFactorRef: bytes32Schema,
  locationFactorMatch: z.enum(["in-period", "latest-earlier-period"]),
  marketFactorRef: bytes32Schema,
  marketFactorMatch: z.enum(["in-period", "latest-earlier-period"]),
  /**
   * `location-fallback`: no market factor was given, the location factor is used;
   * `market-based-rate` (v3): the hour's rate from `scope2` (instruments, netting, residual mix).
   */
  marketBasis: z.enum(["market-factor", "location-fallback", "market-based-rate"]),
  /** v2: the configured live source failed for this hour; the shipped factor was used, for this reason. */
  locationFallback: z
    .strictObject({ sourceId: z.string().min(1), reason: z.string().min(1), detail: z.string() })
    .optional(),
  /** v2: the live location factor is a forecast or model estimate. */
  locationEstimated: z.literal(true).optional(),
});

const factorPeriodSchema = z.strictObject({ startMs: timeMsSchema, endMs: timeMsSchema });
/** A full factors-module EmissionFactor; its ref is keccak256 of its JCS bytes. */
export const emissionFactorSchema = z.strictObject({
  datasetId: z.string().min(1),
  source: z.string().min(1),
  version: z.string().min(1),
  region: z.string().min(1),
  regionName: z.string().min(1),
  period: factorPeriodSchema,
  kind: z.enum(["direct", "lifecycle"]),
  unit: z.enum(["g CO2e/kWh", "g CO2/kWh"]),
  value: z.string().regex(/^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/u, "expected a plain decimal string"),
  published: z.strictObject({ value: z.string(), unit: z.string() }).optional(),
  citation: z.strictObject({ title: z.string(), url: z.string(), publisher: z.string() }),
  licence: z.strictObject({ name: z.string(), url: z.string() }),
});

export const containerTotalsSchema = z.strictObject({
  energyImportedMilliWattHours: decimalStringSchema,
  energyExportedMilliWattHours: decimalStringSchema,
  emissionsLocationMilligramsCo2e: decimalStringSchema,
  emissionsMarketMilligramsCo2e: decimalStringSchema,
});

const mWhString = decimalStringSchema;
/** v3: both Scope 2 methods of the container, hour by hour (docs/accounting.md, "Containers"). */
export const containerScope2Schema = z.strictObject({
  /** The site's market boundary (bidding zone) instruments must come from. */
  market: z.string().min(1),
  instruments: z.array(
    z.strictObject({
      certificateId: z.string().min(1),
      type: z.enum(INSTRUMENT_TYPES),
      market: z.string().min(1),
      energySource: z.enum(ENERGY_SOURCES),
      productionPeriod: z.strictObject({ startMs: timeMsSchema, endMs: timeMsSchema }),
      volumeMilliWattHours: mWhString,
      emissionFactorGramsPerKilowattHour: z
        .string()
        .regex(/^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/u, "expected a plain decimal string"),
      hourlyDelivery: z
        .array(z.strictObject({ startMs: timeMsSchema, milliWattHours: mWhString }))
        .optional(),
      registry: z.string().optional(),
      /** Used before this container: earlier containers of the site and claims by others on chain. */
      usedBeforeMilliWattHours: mWhString,
      status: z.enum(["applied", "rejected"]),
      reason: z
        .enum([
          "outside-market-boundary",
          "vintage-outside-period",
          "certificate-claimed-twice",
          "volume-used-up",
        ])
        .optional(),
      detail: z.string().optional(),
      usedMilliWattHours: mWhString,
      remainingMilliWattHours: mWhString,
    }),
  ),
  hours: z
    .array(
      z.strictObject({
        startMs: timeMsSchema,
        endMs: timeMsSchema,
        consumptionMilliWattHours: mWhString,
        onSiteGeneration: z.array(
          z.strictObject({ source: z.enum(ENERGY_SOURCES), milliWattHours: mWhString }),
        ),
        selfConsumptionMilliWattHours: mWhString,
        exportMilliWattHours: mWhString,
        gridImportMilliWattHours: mWhString,
        instruments: z.array(
          z.strictObject({ certificateId: z.string().min(1), milliWattHours: mWhString }),
        ),
        residualMilliWattHours: mWhString,
        residualFactorRef: bytes32Schema,
        residualFactorMatch: z.enum(["in-period", "latest-earlier-period"]),
        residualBasis: z.enum(["residual-mix", "location-fallback"]),
        carbonFreeSameHourMilliWattHours: mWhString,
        emissionsMarketMilligramsCo2e: decimalStringSchema,
        marketRateRef: bytes32Schema,
      }),
    )
    .min(1),
  locationBased: z.strictObject({
    gridImportMilliWattHours: mWhString,
    emissionsMilligramsCo2e: decimalStringSchema,
  }),
  marketBased: z.strictObject({
    emissionsMilligramsCo2e: decimalStringSchema,
    onSiteGenerationMilliWattHours: mWhString,
    selfConsumptionMilliWattHours: mWhString,
    exportMilliWattHours: mWhString,
    coveredByInstrumentsMilliWattHours: mWhString,
    residualMilliWattHours: mWhString,
  }),
  matching: z.strictObject({
    carbonFreeSameHourMilliWattHours: mWhString,
    consumptionMilliWattHours: mWhString,
    /** Carbon-free supply matched in the same hour ÷ consumption, ppm (floor); null without consumption. */
    scorePartsPerMillion: decimalStringSchema.nullable(),
  }),
});
export type ContainerScope2 = z.infer<typeof containerScope2Schema>;

/** Everything of a container document except its readings: the part that stays public when sealed. */
export const containerPublicShape = {
  format: z.enum(CONTAINER_DOCUMENT_FORMATS),
  siteId: bytes32Schema,
  streamId: bytes32Schema,
  period: z.strictObject({ startMs: timeMsSchema, endMs: timeMsSchema }),
  revision: z.int().min(0).max(0xffff_ffff),
  supersedes: decimalStringSchema,
  merkleRoot: bytes32Schema,
  readingCount: z.int().min(0).max(0xffff_ffff),
  totals: containerTotalsSchema,
  flags: z.strictObject({
    energy: z.array(energyFlagSchema),
    emissions: z.array(z.enum(CONTAINER_EMISSION_FLAGS)),
  }),
  factorRef: bytes32Schema,
  factors: z.array(z.strictObject({ ref: bytes32Schema, factor: emissionFactorSchema })).min(1),
  hours: z.array(containerHourSchema).min(1),
  channels: z.array(containerChannelSchema).min(1),
  /** v3 only. */
  scope2: containerScope2Schema.optional(),
} as const;

export const containerPublicPartSchema = z.strictObject(containerPublicShape);
export const containerDocumentSchema = z.strictObject({
  ...containerPublicShape,
  readings: z.array(containerReadingSchema).min(1),
});

export type ContainerDocument = z.infer<typeof containerDocumentSchema>;
export type ContainerPublicPart = z.infer<typeof containerPublicPartSchema>;
export type ContainerReadingEntry = z.infer<typeof containerReadingSchema>;
export type ContainerChannelEntry = z.infer<typeof containerChannelSchema>;
export type ContainerHourEntry = z.infer<typeof containerHourSchema>;
export type ReadingDetails = z.infer<typeof readingDetailsSchema>;
export type CounterBoundaryJson = z.infer<typeof counterBoundarySchema>;
