import { z } from "zod";
import { InvalidInputError } from "../errors/index.ts";
import { invalidInputFromZod } from "./invalidInputFromZod.ts";

/**
 * Contractual instruments (GHG Protocol Scope 2 Guidance, market-based method):
 * energy attribute certificates (EU guarantees of origin, US RECs) and power
 * purchase agreements, each registered with its certificate id, volume,
 * production period and market.
 */
export const INSTRUMENT_TYPES = ["guarantee-of-origin", "rec", "ppa"] as const;
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

export const ENERGY_SOURCES = [
  "solar",
  "wind",
  "hydro",
  "geothermal",
  "nuclear",
  "biomass",
  "gas",
  "coal",
  "oil",
  "other",
] as const;
export type EnergySourceName = (typeof ENERGY_SOURCES)[number];

/**
 * Sources counted as carbon-free supply in the hourly matching score. Biomass
 * is left out (its combustion emits; GHG Protocol reports biogenic CO2
 * separately), so a biomass certificate lowers the market-based figure by its
 * stated factor but not the matching score.
 */
export const CARBON_FREE_SOURCES: ReadonlySet<EnergySourceName> = new Set([
  "solar",
  "wind",
  "hydro",
  "geothermal",
  "nuclear",
]);

export interface ContractualInstrument {
  /** Unique in its registry, e.g. a GO's EECS number; claimed at most once. */
  certificateId: string;
  type: InstrumentType;
  /** The market boundary it was issued in: the site's bidding zone or grid region ("GB", "DE", "egrid:CAMX"). */
  market: string;
  energySource: EnergySourceName;
  /** Production period (vintage), half-open Unix ms. */
  productionPeriod: { startMs: number; endMs: number };
  volumeMilliWattHours: bigint;
  /** The emission rate the instrument conveys, g CO2e/kWh, exact decimal ("0" for renewable EACs). */
  emissionFactorGramsPerKilowattHour: string;
  /**
   * Time-stamped delivery (a PPA's metered hourly volumes, or hourly certificates):
   * each hour's volume covers consumption in that same hour only. Without it the
   * instrument covers any hour inside its production period.
   */
  hourlyDelivery?: { startMs: number; milliWattHours: bigint }[] | undefined;
  /** Registry or counterparty, for the report. */
  registry?: string | undefined;
}

const mWh = z
  .union([z.string().regex(/^(?:0|[1-9][0-9]*)$/u), z.int().min(0)])
  .transform((value) => BigInt(value));
const timeMs = z.int().min(0).max(Number.MAX_SAFE_INTEGER);
const instrumentSchema = z.strictObject({
  certificateId: z.string().min(1).max(200),
  type: z.enum(INSTRUMENT_TYPES),
  market: z.string().min(1),
  energySource: z.enum(ENERGY_SOURCES),
  productionPeriod: z.strictObject({ startMs: timeMs, endMs: timeMs }),
  volumeMilliWattHours: mWh,
  emissionFactorGramsPerKilowattHour: z
    .string()
    .regex(/^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/u, 'a non-negative plain decimal, e.g. "0"'),
  hourlyDelivery: z.array(z.strictObject({ startMs: timeMs, milliWattHours: mWh })).optional(),
  registry: z.string().optional(),
});
/** The instruments file: `{ "format": "ei-contractual-instruments-v1", "instruments": [...] }`. */
export const CONTRACTUAL_INSTRUMENTS_FORMAT = "ei-contractual-instruments-v1";
const fileSchema = z.strictObject({
  format: z.literal(CONTRACTUAL_INSTRUMENTS_FORMAT),
  instruments: z.array(instrumentSchema),
});

const HOUR_MS = 3_600_000;

/**
 * Validates an instruments file (energy as decimal strings of mWh). Beyond the
 * shape: a production period must end after it starts; hourly deliveries must
 * start on clock hours inside the production period, once each, and add up to
 * the volume. A certificate id listed twice is NOT refused here: the market-
 * based computation rejects the second claim and reports it, so a run shows
 * the double claim instead of failing to start.
 *
 * @throws {InvalidInputError} naming the bad field, e.g. `instruments[2].hourlyDelivery[5].startMs`.
 */
export function parseContractualInstruments(input: unknown): ContractualInstrument[] {
  const parsed = fileSchema.safeParse(input);
  if (!parsed.success) throw invalidInputFromZod("instrumentsFile", parsed.error);
  return parsed.data.instruments.map((instrument, index) => {
    const path = `instrumentsFile.instruments[${index}]`;
    const { startMs, endMs } = instrument.productionPeriod;
    if (endMs <= startMs)
      throw new InvalidInputError(
        `${path}.productionPeriod.endMs`,
        `${endMs} is not after ${startMs}`,
      );
    if (instrument.hourlyDelivery !== undefined) {
      const seen = new Set<number>();
      let total = 0n;
      instrument.hourlyDelivery.forEach((hour, h) => {
        if (
          hour.startMs % HOUR_MS !== 0 ||
          hour.startMs < startMs ||
          hour.startMs + HOUR_MS > endMs ||
          seen.has(hour.startMs)
        )
          throw new InvalidInputError(
            `${path}.hourlyDelivery[${h}].startMs`,
            "must be a clock hour inside the production period, listed once",
          );
        seen.add(hour.startMs);
        total += hour.milliWattHours;
      });
      if (total !== instrument.volumeMilliWattHours)
        throw new InvalidInputError(
          `${path}.volumeMilliWattHours`,
          `${instrument.volumeMilliWattHours} mWh, but the hourly deliveries add up to ${total}`,
        );
    }
    return instrument;
  });
}
