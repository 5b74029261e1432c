import { z } from "zod";
import { InvalidInputError } from "../errors/index.ts";
import { invalidInputFromZod } from "../accounting/invalidInputFromZod.ts";
import { parseDecimal } from "../units/parseDecimal.ts";
import { GRAMS_PER_KILOWATT_HOUR_PER_UNIT } from "../units/types.ts";
import type { Rational } from "../units/types.ts";
import type { EmissionFactorRecord, FactorDataset, FactorPeriod } from "./types.ts";

/** The format tag every dataset file carries; bumped when the layout changes. */
export const FACTOR_DATASET_FORMAT = "energy-intelligence/emission-factor-dataset@1";

const decimalString = z
  .string()
  .regex(
    /^(0|[1-9][0-9]*)(\.[0-9]+)?$/,
    'must be a non-negative plain decimal string, e.g. "349.9465"',
  );

const periodSchema = z.union([
  z.object({ year: z.number().int().min(1990).max(2100) }).strict(),
  z
    .object({
      startMs: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
      endMs: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    })
    .strict(),
]);

const regionCode = z.string().regex(/^[A-Za-z0-9:_-]+$/, "letters, digits, ':', '_' or '-'");

const datasetSchema = z
  .object({
    format: z.literal(FACTOR_DATASET_FORMAT),
    id: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and '-'"),
    source: z.string().min(1),
    version: z.string().min(1),
    kind: z.enum(["direct", "lifecycle"]),
    unit: z.enum(["g CO2e/kWh", "g CO2/kWh"]),
    citation: z
      .object({ title: z.string().min(1), url: z.url(), publisher: z.string().min(1) })
      .strict(),
    licence: z.object({ name: z.string().min(1), url: z.url() }).strict(),
    notes: z.array(z.string().min(1)),
    factors: z.array(
      z
        .object({
          region: regionCode,
          regionName: z.string().min(1),
          period: periodSchema,
          value: decimalString,
          published: z
            .object({ value: decimalString, unit: z.string().min(1) })
            .strict()
            .optional(),
        })
        .strict(),
    ),
    pending: z
      .array(
        z
          .object({ region: regionCode, regionName: z.string().min(1), reason: z.string().min(1) })
          .strict(),
      )
      .default([]),
  })
  .strict();

// The published units we know how to convert exactly into g/kWh: multiply by this rational.
// 1 lb = 453.59237 g exactly (international avoirdupois pound), so 1 lb/MWh = 0.45359237 g/kWh
// (the units module's lb/MWh entry); 1 kg/kWh = 1_000 g/kWh.
const KILOGRAMS_PER_KILOWATT_HOUR: Rational = { numerator: 1_000n, denominator: 1n };
const EXACT_CONVERSIONS: Readonly<Record<string, { by: Rational; to: string }>> = {
  "lb CO2e/MWh": { by: GRAMS_PER_KILOWATT_HOUR_PER_UNIT["lb/MWh"], to: "g CO2e/kWh" },
  "lb CO2/MWh": { by: GRAMS_PER_KILOWATT_HOUR_PER_UNIT["lb/MWh"], to: "g CO2/kWh" },
  "kg CO2e/kWh": { by: KILOGRAMS_PER_KILOWATT_HOUR, to: "g CO2e/kWh" },
  "kg CO2/kWh": { by: KILOGRAMS_PER_KILOWATT_HOUR, to: "g CO2/kWh" },
};

export type ParseFactorDatasetReturnType = FactorDataset;
export type ParseFactorDatasetErrorType = InvalidInputError;

/**
 * Validates an emission-factor dataset (the JSON files in `factors/data/`)
 * and resolves each entry into a self-contained EmissionFactorRecord. Beyond the
 * shape it checks what would make lookups wrong: a year turned into the
 * half-open UTC period [1 Jan, next 1 Jan); no two factors for one region with
 * overlapping periods; a region not both shipped and pending; and, where the
 * publisher's own figure is stored, that `value` is exactly its conversion
 * (e.g. lb/MWh × 0.45359237), so a transcription slip cannot hide.
 *
 * @param input - the parsed JSON of a dataset file.
 * @param name - names the dataset in error paths, e.g. its file name.
 * @throws {InvalidInputError} naming the bad field, e.g. `us-epa-egrid2023.factors[3].value`.
 * @example
 * ```ts
 * import data from "./data/uk-desnz-2025.json" with { type: "json" };
 * const dataset = parseFactorDataset(data, "uk-desnz-2025");
 * dataset.factors[0].value; // "177"
 * ```
 */
export function parseFactorDataset(input: unknown, name = "dataset"): ParseFactorDatasetReturnType {
  const result = datasetSchema.safeParse(input);
  if (!result.success) throw invalidInputFromZod(name, result.error);
  const data = result.data;
  const factors: EmissionFactorRecord[] = data.factors.map((entry, index) => {
    const path = `${name}.factors[${index}]`;
    const period = resolvePeriod(entry.period, `${path}.period`);
    if (entry.published !== undefined)
      checkConversion(entry.published, entry.value, data.unit, path);
    const factor: EmissionFactorRecord = {
      datasetId: data.id,
      source: data.source,
      version: data.version,
      region: entry.region,
      regionName: entry.regionName,
      period,
      kind: data.kind,
      unit: data.unit,
      value: entry.value,
      citation: data.citation,
      licence: data.licence,
    };
    // Only present keys enter the hash: JSON has no undefined.
    if (entry.published !== undefined) factor.published = entry.published;
    return factor;
  });
  checkNoOverlap(factors, name);
  const shipped = new Set(factors.map((factor) => factor.region));
  data.pending.forEach((pending, index) => {
    if (shipped.has(pending.region)) {
      throw new InvalidInputError(
        `${name}.pending[${index}].region`,
        `${pending.region} is also shipped as a factor`,
      );
    }
  });
  return {
    id: data.id,
    source: data.source,
    version: data.version,
    kind: data.kind,
    unit: data.unit,
    citation: data.citation,
    licence: data.licence,
    notes: data.notes,
    factors,
    pending: data.pending,
  };
}

function resolvePeriod(period: { year: number } | FactorPeriod, path: string): FactorPeriod {
  if ("year" in period) {
    return { startMs: Date.UTC(period.year, 0, 1), endMs: Date.UTC(period.year + 1, 0, 1) };
  }
  if (period.endMs <= period.startMs) {
    throw new InvalidInputError(
      `${path}.endMs`,
      `${period.endMs} is not after startMs ${period.startMs}`,
    );
  }
  return period;
}

function checkConversion(
  published: { value: string; unit: string },
  value: string,
  unit: string,
  path: string,
): void {
  const conversion = EXACT_CONVERSIONS[published.unit];
  if (conversion?.to !== unit) {
    throw new InvalidInputError(
      `${path}.published.unit`,
      `no exact conversion from ${published.unit} to ${unit}`,
      {
        hints: [`Known: ${Object.keys(EXACT_CONVERSIONS).join(", ")}`],
      },
    );
  }
  const from = parseDecimal(published.value, `${path}.published.value`);
  const actual = parseDecimal(value, `${path}.value`);
  // value = published × by, compared exactly by cross-multiplying the rationals.
  const expectedNumerator = from.numerator * conversion.by.numerator;
  const expectedDenominator = from.denominator * conversion.by.denominator;
  if (actual.numerator * expectedDenominator !== expectedNumerator * actual.denominator) {
    throw new InvalidInputError(
      `${path}.value`,
      `${value} is not ${published.value} ${published.unit} converted exactly (${expectedNumerator}/${expectedDenominator})`,
    );
  }
}

function checkNoOverlap(factors: readonly EmissionFactorRecord[], name: string): void {
  const byRegion = new Map<string, { period: FactorPeriod; index: number }[]>();
  factors.forEach((factor, index) => {
    const seen = byRegion.get(factor.region) ?? [];
    for (const other of seen) {
      if (
        factor.period.startMs < other.period.endMs &&
        other.period.startMs < factor.period.endMs
      ) {
        throw new InvalidInputError(
          `${name}.factors[${index}].period`,
          `overlaps factors[${other.index}] for region ${factor.region}`,
        );
      }
    }
    seen.push({ period: factor.period, index });
    byRegion.set(factor.region, seen);
  });
}
