import { z } from "zod";
import { allocationRulesSchema } from "../allocation/allocationRulesSchema.ts";
import { ENERGY_FLAG_ORDER } from "../accounting/types.ts";
import {
  bytes32Schema,
  channelConfigSchema,
  decimalStringSchema,
  emissionFactorSchema,
} from "../containers/containerDocumentSchema.ts";
import { readingDisclosureSchema } from "../containers/readingDisclosureSchema.ts";

/**
 * The footprint document of a product lot, `ei-footprint-v1` (docs/formats.md,
 * "Footprint document"; docs/jobs-and-footprints.md): the lot's jobs and units,
 * the declared allocation scope and rules, every figure the allocation
 * produced, the containers it drew on and every reading it used with its
 * Merkle proof to an anchored container root. Its RFC 8785 (JCS) bytes are
 * what the lot's `cid` names; recomputing it from its own readings, jobs and
 * factors must give it back byte for byte.
 *
 * Integers that can pass 2^53 are decimal strings; Unix-ms times are numbers.
 * Objects are strict: a field the verifier could not check is refused.
 */
export const FOOTPRINT_DOCUMENT_FORMAT = "ei-footprint-v1";
/** The rounding rules of docs/jobs-and-footprints.md, "Rounding", by name and version. */
export const FOOTPRINT_ROUNDING = "ei-largest-remainder-v1";

const timeMsSchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Energy (mWh) and both emissions figures (mg CO2e), as decimal strings. */
export const amountsSchema = z.strictObject({
  energyMilliWattHours: decimalStringSchema,
  emissionsLocationMilligramsCo2e: decimalStringSchema,
  emissionsMarketMilligramsCo2e: decimalStringSchema,
});

const footprintChannelSchema = z.strictObject({
  deviceId: bytes32Schema,
  channel: z.int().min(0).max(0xffff_ffff),
  config: channelConfigSchema,
});

export const footprintContainerSchema = z.strictObject({
  /** ERC-1155 token id of the container, decimal. */
  containerId: decimalStringSchema,
  streamId: bytes32Schema,
  periodStartMs: timeMsSchema,
  periodEndMs: timeMsSchema,
  revision: z.int().min(0).max(0xffff_ffff),
  merkleRoot: bytes32Schema,
  /** The container document's CID (base32 CIDv1). */
  cid: z.string().min(1),
});

export const footprintJobSchema = z.strictObject({
  jobId: bytes32Schema,
  productId: bytes32Schema,
  machineIds: z.array(bytes32Schema).min(1),
  /** The job's window as stamped on chain (seconds × 1000). */
  startMs: timeMsSchema,
  stopMs: timeMsSchema,
  units: decimalStringSchema,
  /** Whether the job is one of the lot's (others share the scope's machines and take their part). */
  inLot: z.boolean(),
  inScope: z.strictObject({ startMs: timeMsSchema, endMs: timeMsSchema }),
  machineMs: decimalStringSchema,
  direct: amountsSchema,
  idle: amountsSchema,
  overhead: amountsSchema,
  total: amountsSchema,
});

export const footprintDocumentSchema = z.strictObject({
  format: z.literal(FOOTPRINT_DOCUMENT_FORMAT),
  siteId: bytes32Schema,
  productId: bytes32Schema,
  lot: z.strictObject({
    /** In the order the lot id hashes them (ProductLots.lotIdOf). */
    jobIds: z.array(bytes32Schema).min(1),
    units: decimalStringSchema,
    total: amountsSchema,
    /** total / units, rounded down (as ProductLots' LotMinted event). */
    perUnit: amountsSchema,
  }),
  scope: z.strictObject({ startMs: timeMsSchema, endMs: timeMsSchema }),
  rules: allocationRulesSchema,
  rounding: z.literal(FOOTPRINT_ROUNDING),
  machines: z.array(
    z.strictObject({
      machineId: bytes32Schema,
      channels: z.array(footprintChannelSchema),
      metered: amountsSchema,
      idle: amountsSchema,
      idleUnallocated: amountsSchema,
    }),
  ),
  overhead: z.strictObject({
    channels: z.array(footprintChannelSchema),
    metered: amountsSchema,
    unallocated: amountsSchema,
  }),
  jobs: z.array(footprintJobSchema).min(1),
  hours: z
    .array(
      z.strictObject({
        startMs: timeMsSchema,
        endMs: timeMsSchema,
        energyMilliWattHours: decimalStringSchema,
        emissionsLocationMilligramsCo2e: decimalStringSchema,
        emissionsMarketMilligramsCo2e: decimalStringSchema,
        locationFactorRef: bytes32Schema,
        marketFactorRef: bytes32Schema,
      }),
    )
    .min(1),
  factors: z.array(z.strictObject({ ref: bytes32Schema, factor: emissionFactorSchema })).min(1),
  metered: amountsSchema,
  unallocated: amountsSchema,
  flags: z.array(z.enum(ENERGY_FLAG_ORDER as readonly [string, ...string[]])),
  containers: z.array(footprintContainerSchema),
  /** Every reading the allocation used, each an `ei-reading-disclosure-v1` bundle without details. */
  readings: z.array(readingDisclosureSchema),
});

export type FootprintDocument = z.infer<typeof footprintDocumentSchema>;
export type FootprintContainer = z.infer<typeof footprintContainerSchema>;
export type FootprintAmountsJson = z.infer<typeof amountsSchema>;
