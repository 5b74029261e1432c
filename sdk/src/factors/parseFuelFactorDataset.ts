import { z } from "zod";
import { invalidInputFromZod } from "../accounting/invalidInputFromZod.ts";
import type { FactorCitation, FactorLicence } from "./types.ts";

export const FUEL_FACTOR_DATASET_FORMAT = "energy-intelligence/fuel-factor-dataset@1";

/** Units a fuel factor may have; each converts exactly to mg per litre of fuel volume. */
export const FUEL_FACTOR_UNITS = [
  "kg CO2/scf",
  "kg CO2e/scf",
  "kg CO2/m3",
  "kg CO2e/m3",
  "kg CO2/litre",
  "kg CO2e/litre",
] as const;
export type FuelFactorUnit = (typeof FUEL_FACTOR_UNITS)[number];

/** One combustion factor, self-contained (what a fuel figure's factorRef hashes). */
export interface FuelFactorRecord {
  datasetId: string;
  source: string;
  version: string;
  fuel: string;
  fuelName: string;
  unit: FuelFactorUnit;
  gases: "CO2" | "CO2e";
  value: string;
  period: { startMs: number; endMs: number };
  citation: FactorCitation;
  licence: FactorLicence;
}
export interface FuelFactorDataset {
  id: string;
  factors: FuelFactorRecord[];
  pending: { fuel: string; fuelName: string; reason: string }[];
  notes: string[];
}

const decimal = z
  .string()
  .regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/u, "a non-negative plain decimal string");
const schema = z.strictObject({
  format: z.literal(FUEL_FACTOR_DATASET_FORMAT),
  id: z.string().regex(/^[a-z0-9-]+$/u),
  source: z.string().min(1),
  version: z.string().min(1),
  citation: z.strictObject({
    title: z.string().min(1),
    url: z.url(),
    publisher: z.string().min(1),
  }),
  licence: z.strictObject({ name: z.string().min(1), url: z.url() }),
  notes: z.array(z.string()),
  factors: z.array(
    z.strictObject({
      fuel: z.string().regex(/^[a-z0-9-]+$/u),
      fuelName: z.string().min(1),
      unit: z.enum(FUEL_FACTOR_UNITS),
      gases: z.enum(["CO2", "CO2e"]),
      value: decimal,
      year: z.int().min(1990).max(2100),
    }),
  ),
  pending: z.array(
    z.strictObject({ fuel: z.string(), fuelName: z.string(), reason: z.string().min(1) }),
  ),
});

/**
 * Validates a fuel (Scope 1 combustion) factor dataset, `fuelData/*.json`, and
 * resolves self-contained records; a factor's `gases` must match its unit.
 *
 * @throws {InvalidInputError} naming the bad field.
 */
export function parseFuelFactorDataset(input: unknown, name = "dataset"): FuelFactorDataset {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInputFromZod(name, parsed.error);
  const data = parsed.data;
  return {
    id: data.id,
    notes: data.notes,
    pending: data.pending,
    factors: data.factors.map((entry, index) => {
      if (!entry.unit.startsWith(`kg ${entry.gases}/`))
        throw invalidInputFromZod(
          `${name}.factors[${index}]`,
          new z.ZodError([
            {
              code: "custom",
              path: ["gases"],
              message: `unit ${entry.unit} does not match gases ${entry.gases}`,
              input: entry,
            },
          ]),
        );
      return {
        datasetId: data.id,
        source: data.source,
        version: data.version,
        fuel: entry.fuel,
        fuelName: entry.fuelName,
        unit: entry.unit,
        gases: entry.gases,
        value: entry.value,
        period: { startMs: Date.UTC(entry.year, 0, 1), endMs: Date.UTC(entry.year + 1, 0, 1) },
        citation: data.citation,
        licence: data.licence,
      };
    }),
  };
}
