import { z } from "zod";

/**
 * zod schemas for the parts of DMTF Redfish the gateway reads from a rack
 * PDU: PowerDistribution (`/redfish/v1/PowerEquipment/RackPDUs/{id}`,
 * schema PowerDistribution.v1_x), its Mains and Outlets collections, Circuit
 * (a main) and Outlet resources with their Sensor excerpts
 * (SensorEnergykWhExcerpt, SensorPowerExcerpt, SensorVoltageExcerpt,
 * SensorCurrentExcerpt from Sensor.v1_x). Unknown properties are kept out;
 * a property a service does not implement may be absent or null, as the
 * Redfish specification allows.
 */
const nullableNumber = z.number().nullable().optional();

export const redfishLinkSchema = z.object({ "@odata.id": z.string().startsWith("/redfish/v1/") });

export const redfishCollectionSchema = z.object({
  "@odata.id": z.string().optional(),
  Members: z.array(redfishLinkSchema).max(1024),
  "Members@odata.count": z.number().int().nonnegative().optional(),
});

export const redfishPowerDistributionSchema = z.object({
  "@odata.id": z.string(),
  Id: z.string().min(1),
  Name: z.string().optional(),
  EquipmentType: z.string().optional(),
  Manufacturer: z.string().nullable().optional(),
  Model: z.string().nullable().optional(),
  SerialNumber: z.string().nullable().optional(),
  Mains: redfishLinkSchema.optional(),
  Outlets: redfishLinkSchema.optional(),
});

/** SensorEnergykWhExcerpt: `Reading` may be reset by ResetMetrics, `LifetimeReading` never is. */
export const redfishEnergyExcerptSchema = z.object({
  Reading: nullableNumber,
  LifetimeReading: nullableNumber,
  SensorResetTime: z.string().nullable().optional(),
  DataSourceUri: z.string().nullable().optional(),
});

/** SensorPowerExcerpt: W, plus apparent/reactive power and power factor. */
export const redfishPowerExcerptSchema = z.object({
  Reading: nullableNumber,
  ApparentVA: nullableNumber,
  ReactiveVAR: nullableNumber,
  PowerFactor: nullableNumber,
  DataSourceUri: z.string().nullable().optional(),
});

export const redfishReadingExcerptSchema = z.object({
  Reading: nullableNumber,
  DataSourceUri: z.string().nullable().optional(),
});

/** The metered parts shared by Circuit (Mains) and Outlet. */
export const redfishMeteredResourceSchema = z.object({
  "@odata.id": z.string(),
  Id: z.string().min(1),
  Name: z.string().optional(),
  EnergykWh: redfishEnergyExcerptSchema.nullable().optional(),
  PowerWatts: redfishPowerExcerptSchema.nullable().optional(),
  Voltage: redfishReadingExcerptSchema.nullable().optional(),
  CurrentAmps: redfishReadingExcerptSchema.nullable().optional(),
});

export type RedfishPowerDistribution = z.output<typeof redfishPowerDistributionSchema>;
export type RedfishCollection = z.output<typeof redfishCollectionSchema>;
export type RedfishMeteredResource = z.output<typeof redfishMeteredResourceSchema>;
