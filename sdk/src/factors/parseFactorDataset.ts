import { z } from "zod";
import { InvalidInputError } from "../errors/index.ts";
import { invalidInputFromZod } from "../accounting/invalidInputFromZod.ts";
import { parseDecimal } from "../units/parseDecimal.ts";
import { GRAMS_PER_KILOWATT_HOUR_PER_UNIT } from "../units/types.ts";
import type { Rational } from "../units/types.ts";
import type {
  Co2eFromGases,
  EmissionFactorRecord,
  FactorDataset,
  FactorPeriod,
  FactorProvenance,
} from "./types.ts";

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

const sourceId = z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and '-'");

const factorEntrySchema = z
  .object({
    region: regionCode,
    regionName: z.string().min(1),
    period: periodSchema,
    value: decimalString,
    published: z
      .object({ value: decimalString, unit: z.string().min(1) })
      .strict()
      .optional(),
    // The publisher's gas rates (unit: co2eFromGases.unit) and the secondary sources that
    // confirm the figure: both stay out of the hashed record (factorRef), which they only document.
    gases: z
      .object({ co2: decimalString, ch4: decimalString, n2o: decimalString })
      .strict()
      .optional(),
    sources: z.array(sourceId).optional(),
  })
  .strict();

const pendingSchema = z
  .object({ region: regionCode, regionName: z.string().min(1), reason: z.string().min(1) })
  .strict();

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
    sources: z
      .array(
        z
          .object({
            id: sourceId,
            title: z.string().min(1),
            table: z.string().min(1),
            year: z.number().int().min(1990).max(2100),
            url: z.url(),
            publisher: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
    co2eFromGases: z
      .object({
        gwpSet: z.string().min(1),
        gwp: z.object({ co2: decimalString, ch4: decimalString, n2o: decimalString }).strict(),
        unit: z.string().min(1),
        ratesDecimals: z.number().int().min(0).max(9),
      })
      .strict()
      .optional(),
    factors: z.array(factorEntrySchema),
    pending: z.array(pendingSchema).default([]),
    // GHG Protocol Scope 3 category 3: kept in its own list so it is never a Scope 2 factor.
    transmissionAndDistribution: z
      .object({
        notes: z.array(z.string().min(1)),
        factors: z.array(factorEntrySchema),
        pending: z.array(pendingSchema).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

type DatasetInput = z.infer<typeof datasetSchema>;
type FactorEntry = z.infer<typeof factorEntrySchema>;

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
 * (e.g. lb/MWh × 0.45359237), so a transcription slip cannot hide. Where a
 * factor lists the publisher's gas rates, the published CO2e must equal
 * Σ gas × GWP (`co2eFromGases`) within the publication rounding, and every
 * source a factor names must be declared. A `transmissionAndDistribution` list
 * (Scope 3 category 3) becomes its own dataset `<id>-td` on the result.
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
  const dataset = resolveFactors(data, data.id, data.factors, data.pending, name);
  if (data.transmissionAndDistribution !== undefined) {
    const td = data.transmissionAndDistribution;
    dataset.transmissionAndDistribution = {
      ...resolveFactors(
        data,
        `${data.id}-td`,
        td.factors,
        td.pending,
        `${name}.transmissionAndDistribution`,
      ),
      notes: td.notes,
    };
  }
  return dataset;
}

function resolveFactors(
  data: DatasetInput,
  id: string,
  entries: readonly FactorEntry[],
  pendingEntries: DatasetInput["pending"],
  name: string,
): FactorDataset {
  const sourceIds = new Set(data.sources.map((source) => source.id));
  const provenance: Record<string, FactorProvenance> = {};
  const factors: EmissionFactorRecord[] = entries.map((entry, index) => {
    const path = `${name}.factors[${index}]`;
    const period = resolvePeriod(entry.period, `${path}.period`);
    if (entry.published !== undefined)
      checkConversion(entry.published, entry.value, data.unit, path);
    entry.sources?.forEach((sourceIdRef, sourceIndex) => {
      if (!sourceIds.has(sourceIdRef)) {
        throw new InvalidInputError(
          `${path}.sources[${sourceIndex}]`,
          `${sourceIdRef} is not one of the dataset's sources`,
        );
      }
    });
    if (entry.gases !== undefined) checkGases(entry, data.co2eFromGases, path);
    const factor: EmissionFactorRecord = {
      datasetId: id,
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
    if (entry.gases !== undefined || entry.sources !== undefined) {
      provenance[entry.region] = {
        ...(entry.gases === undefined ? {} : { gases: entry.gases }),
        sources: entry.sources ?? [],
      };
    }
    return factor;
  });
  checkNoOverlap(factors, name);
  const shipped = new Set(factors.map((factor) => factor.region));
  pendingEntries.forEach((pending, index) => {
    if (shipped.has(pending.region)) {
      throw new InvalidInputError(
        `${name}.pending[${index}].region`,
        `${pending.region} is also shipped as a factor`,
      );
    }
  });
  const dataset: FactorDataset = {
    id,
    source: data.source,
    version: data.version,
    kind: data.kind,
    unit: data.unit,
    citation: data.citation,
    licence: data.licence,
    notes: data.notes,
    factors,
    pending: pendingEntries,
    sources: data.sources,
    provenance,
  };
  if (data.co2eFromGases !== undefined) dataset.co2eFromGases = data.co2eFromGases;
  return dataset;
}

/**
 * The published CO2e rate must be Σ gas × GWP within the publisher's rounding: each gas
 * rate is off by at most half a unit in its last place (×GWP) and so is the CO2e rate.
 * A slip in one transcribed figure (a digit, a swapped gas) shows as a larger gap.
 */
function checkGases(entry: FactorEntry, method: Co2eFromGases | undefined, path: string): void {
  if (method === undefined) {
    throw new InvalidInputError(`${path}.gases`, "the dataset declares no co2eFromGases method", {
      hints: ["Say which GWPs turn the gas rates into CO2e (co2eFromGases)."],
    });
  }
  // Gas rates in "lb/MWh" go with a published rate in "lb CO2e/MWh".
  const co2eUnit = method.unit.replace("/", " CO2e/");
  if (entry.published?.unit !== co2eUnit) {
    throw new InvalidInputError(
      `${path}.published`,
      `gas rates in ${method.unit} need the published CO2e rate in ${co2eUnit}`,
    );
  }
  const scale = 10n ** 12n;
  const toScaled = (text: string, at: string) => {
    const rational = parseDecimal(text, at);
    if (scale % rational.denominator !== 0n)
      throw new InvalidInputError(at, `${text} has more than 12 decimals`);
    return rational.numerator * (scale / rational.denominator);
  };
  const gwp = {
    co2: toScaled(method.gwp.co2, `${path}.gwp.co2`),
    ch4: toScaled(method.gwp.ch4, `${path}.gwp.ch4`),
    n2o: toScaled(method.gwp.n2o, `${path}.gwp.n2o`),
  };
  const gases = entry.gases ?? { co2: "0", ch4: "0", n2o: "0" };
  // Σ gas × GWP in units of scale² (both factors carry `scale`).
  const fromGases =
    toScaled(gases.co2, `${path}.gases.co2`) * gwp.co2 +
    toScaled(gases.ch4, `${path}.gases.ch4`) * gwp.ch4 +
    toScaled(gases.n2o, `${path}.gases.n2o`) * gwp.n2o;
  const published = toScaled(entry.published.value, `${path}.published.value`) * scale;
  const halfUnit = (scale * scale) / (2n * 10n ** BigInt(method.ratesDecimals));
  const bound = (halfUnit * (gwp.co2 + gwp.ch4 + gwp.n2o)) / scale + halfUnit;
  const gap = published > fromGases ? published - fromGases : fromGases - published;
  if (gap > bound) {
    throw new InvalidInputError(
      `${path}.published.value`,
      `${entry.published.value} ${entry.published.unit} is not CO2 + CH4 + N2O × GWP (${method.gwpSet}) within rounding: off by more than ${formatScaled(bound, scale * scale)}`,
    );
  }
}

function formatScaled(value: bigint, scale: bigint): string {
  const whole = value / scale;
  const fraction = (value % scale).toString().padStart(scale.toString().length - 1, "0");
  return `${whole}.${fraction.replace(/0+$/, "") || "0"}`;
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
