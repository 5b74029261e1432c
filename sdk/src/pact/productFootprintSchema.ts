import { z } from "zod";

/**
 * The PACT Technical Specifications for PCF Data Exchange, version 3.0
 * (WBCSD, docs.carbon-transparency.org/ref/data-exchange-protocol/3.0.0):
 * the `ProductFootprint` data model with every mandatory property, the
 * formats (decimals as strings, URNs, UUIDs, RFC 3339 UTC times) and the
 * enumerations as the specification's OpenAPI document states them.
 *
 * Objects are not strict: a host system must accept footprints of later
 * revisions that carry properties this one does not know. Where the
 * specification says a host "MUST accept" values outside an enumeration
 * (`crossSectoralStandards`), the schema accepts any non-empty string and
 * `PACT_CROSS_SECTORAL_STANDARDS` lists the known ones.
 */
export const PACT_SPEC_VERSION = "3.0.0";

/** `Decimal`: a string, optional sign, digits, optional fraction. */
export const pactDecimalSchema = z
  .string()
  .regex(/^[+-]?\d+(\.\d+)?$/u, "expected a PACT Decimal string");
/** `PositiveOrZeroDecimal` (≥ 0). */
export const pactNonNegativeDecimalSchema = z
  .string()
  .regex(/^\+?\d+(\.\d+)?$/u, "expected a decimal string ≥ 0");
/** `NegativeOrZeroDecimal` (≤ 0). */
export const pactNonPositiveDecimalSchema = z
  .string()
  .regex(/^(-\d+(\.\d+)?|0+(\.0+)?)$/u, "expected a decimal string ≤ 0");
/** `PositiveNonZeroDecimal` (> 0). */
export const pactPositiveDecimalSchema = pactNonNegativeDecimalSchema.refine(
  (value) => /[1-9]/u.test(value),
  "expected a decimal string > 0",
);
/** `Urn` (RFC 8141): the specification's pattern is the `urn:` prefix; we also require an NID and an NSS. */
export const pactUrnSchema = z
  .string()
  .regex(/^[uU][rR][nN]:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$/u, "expected a URN (urn:<nid>:<nss>)");
/** `pcf.geographyCountry`: an ISO 3166-1 alpha-2 code, upper case. */
export const pactGeographyCountrySchema = z
  .string()
  .regex(/^[A-Z]{2}$/u, "expected an ISO 3166-1 alpha-2 code like DE");
/** RFC 3339 date-time in UTC (`Z`), as the specification's examples and lifecycle rules use. */
export const pactDateTimeSchema = z.iso.datetime({ offset: false });
const nonEmptyString = z.string().min(1);
const uniqueArray = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .min(1)
    .refine((values) => new Set(values.map((v) => JSON.stringify(v))).size === values.length, {
      error: "expected a set (no duplicates)",
    });

export const PACT_DECLARED_UNITS = [
  "liter",
  "kilogram",
  "cubic meter",
  "kilowatt hour",
  "megajoule",
  "ton kilometer",
  "square meter",
  "piece",
  "hour",
  "megabit second",
] as const;
export const PACT_STATUSES = ["Active", "Deprecated"] as const;
export const PACT_CROSS_SECTORAL_STANDARDS = [
  "ISO14067",
  "ISO14083",
  "ISO14040-44",
  "GHGP-Product",
  "PEF",
  "PACT-1.0",
  "PACT-2.0",
  "PACT-3.0",
] as const;
export const PACT_REGIONS = [
  "Africa",
  "Americas",
  "Asia",
  "Europe",
  "Oceania",
  "Australia and New Zealand",
  "Central Asia",
  "Eastern Asia",
  "Eastern Europe",
  "Latin America and the Caribbean",
  "Melanesia",
  "Micronesia",
  "Northern Africa",
  "Northern America",
  "Northern Europe",
  "Polynesia",
  "South-eastern Asia",
  "Southern Asia",
  "Southern Europe",
  "Sub-Saharan Africa",
  "Western Asia",
  "Western Europe",
] as const;
export const PACT_VERIFICATION_COVERAGES = [
  "PCF calculation model",
  "PCF program",
  "product level",
] as const;

/** A data-quality rating: 1 (best) to 5, as a Decimal string. */
const dqrSchema = pactDecimalSchema.refine((value) => {
  const n = Number(value);
  return n >= 1 && n <= 5;
}, "expected a data-quality rating between 1 and 5");

export const pactDataQualityIndicatorsSchema = z.object({
  technologicalDQR: dqrSchema,
  temporalDQR: dqrSchema,
  geographicalDQR: dqrSchema,
});

export const pactDataModelExtensionSchema = z.object({
  specVersion: z.string().regex(/^\d+\.\d+\.\d+$/u, "expected major.minor.patch"),
  dataSchema: z.url(),
  documentation: z.url().optional(),
  data: z.record(z.string(), z.unknown()),
});

export const pactCarbonFootprintSchema = z
  .object({
    declaredUnitOfMeasurement: z.enum(PACT_DECLARED_UNITS),
    declaredUnitAmount: pactPositiveDecimalSchema,
    productMassPerDeclaredUnit: pactDecimalSchema,
    referencePeriodStart: pactDateTimeSchema,
    referencePeriodEnd: pactDateTimeSchema,
    pcfExcludingBiogenicCO2Withdrawal: pactDecimalSchema,
    pcfIncludingBiogenicCO2Withdrawal: pactDecimalSchema,
    fossilGhgEmissions: pactNonNegativeDecimalSchema,
    fossilCarbonContent: pactNonNegativeDecimalSchema,
    biogenicCarbonContent: pactNonNegativeDecimalSchema,
    biogenicCO2Withdrawal: pactNonPositiveDecimalSchema.optional(),
    landUseChangeGhgEmissions: pactNonNegativeDecimalSchema.optional(),
    biogenicNonCO2Emissions: pactNonNegativeDecimalSchema.optional(),
    aircraftGhgEmissions: pactNonNegativeDecimalSchema.optional(),
    packagingGhgEmissions: pactNonNegativeDecimalSchema.optional(),
    outboundLogisticsGhgEmissions: pactNonNegativeDecimalSchema.optional(),
    ipccCharacterizationFactors: uniqueArray(z.string().regex(/^AR\d+$/u, "expected AR<n>")),
    crossSectoralStandards: uniqueArray(nonEmptyString),
    productOrSectorSpecificRules: uniqueArray(
      z.object({
        operator: z.enum(["PEF", "EPD International", "Other"]),
        ruleNames: uniqueArray(nonEmptyString),
        otherOperatorName: nonEmptyString.optional(),
      }),
    ).optional(),
    boundaryProcessesDescription: z.string().optional(),
    geographyRegionOrSubregion: z.enum(PACT_REGIONS).optional(),
    geographyCountry: pactGeographyCountrySchema.optional(),
    geographyCountrySubdivision: z
      .string()
      .regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/u, "expected ISO 3166-2")
      .optional(),
    secondaryEmissionFactorSources: z
      .array(z.object({ name: nonEmptyString, version: nonEmptyString }))
      .min(1)
      .optional(),
    exemptedEmissionsPercent: pactDecimalSchema,
    exemptedEmissionsDescription: z.string().optional(),
    allocationRulesDescription: z.string().optional(),
    primaryDataShare: pactDecimalSchema
      .refine((value) => Number(value) >= 0 && Number(value) <= 100, "expected a percentage 0–100")
      .optional(),
    dqi: pactDataQualityIndicatorsSchema.optional(),
    verification: z
      .object({
        coverage: z.enum(PACT_VERIFICATION_COVERAGES).optional(),
        providerName: z.string().optional(),
        completedAt: pactDateTimeSchema.optional(),
        standardName: z.string().optional(),
        comments: z.string().optional(),
      })
      .optional(),
  })
  .superRefine((pcf, context) => {
    // Geography: at most one granularity (none = Global).
    const set = [
      pcf.geographyRegionOrSubregion,
      pcf.geographyCountry,
      pcf.geographyCountrySubdivision,
    ].filter((value) => value !== undefined);
    if (set.length > 1) {
      context.addIssue({
        code: "custom",
        path: ["geographyCountry"],
        message:
          "only one of geographyRegionOrSubregion, geographyCountry, geographyCountrySubdivision may be set",
      });
    }
    if (Date.parse(pcf.referencePeriodEnd) <= Date.parse(pcf.referencePeriodStart)) {
      context.addIssue({
        code: "custom",
        path: ["referencePeriodEnd"],
        message: "referencePeriodEnd must be after referencePeriodStart",
      });
    }
    // Reference periods that include 2025 or later: primaryDataShare and dqi are mandatory.
    if (Date.parse(pcf.referencePeriodEnd) > Date.UTC(2025, 0, 1)) {
      if (pcf.primaryDataShare === undefined)
        context.addIssue({
          code: "custom",
          path: ["primaryDataShare"],
          message: "mandatory for reference periods from 2025",
        });
      if (pcf.dqi === undefined)
        context.addIssue({
          code: "custom",
          path: ["dqi"],
          message: "mandatory for reference periods from 2025",
        });
    }
  });

export const productFootprintSchema = z
  .object({
    id: z.uuid(),
    specVersion: z.string().regex(/^\d+\.\d+\.\d+(-\d{8})?$/u, "expected major.minor.patch"),
    precedingPfIds: uniqueArray(z.uuid()).optional(),
    version: z
      .int()
      .min(0)
      .max(2 ** 31 - 1),
    created: pactDateTimeSchema,
    updated: pactDateTimeSchema.optional(),
    status: z.enum(PACT_STATUSES),
    statusComment: z.string().optional(),
    validityPeriodStart: pactDateTimeSchema.optional(),
    validityPeriodEnd: pactDateTimeSchema.optional(),
    companyName: nonEmptyString,
    companyIds: uniqueArray(pactUrnSchema),
    productDescription: z.string(),
    productIds: uniqueArray(pactUrnSchema),
    productClassifications: uniqueArray(pactUrnSchema).optional(),
    productNameCompany: nonEmptyString,
    comment: z.string().optional(),
    pcf: pactCarbonFootprintSchema,
    extensions: z.array(pactDataModelExtensionSchema).min(1).optional(),
  })
  .superRefine((pf, context) => {
    const { validityPeriodStart: start, validityPeriodEnd: end } = pf;
    if ((start === undefined) !== (end === undefined)) {
      context.addIssue({
        code: "custom",
        path: [start === undefined ? "validityPeriodStart" : "validityPeriodEnd"],
        message: "validityPeriodStart and validityPeriodEnd are set together",
      });
      return;
    }
    if (start === undefined || end === undefined) return;
    const referenceEnd = Date.parse(pf.pcf.referencePeriodEnd);
    if (Date.parse(start) < referenceEnd)
      context.addIssue({
        code: "custom",
        path: ["validityPeriodStart"],
        message: "must not be before pcf.referencePeriodEnd",
      });
    if (Date.parse(end) <= Date.parse(start))
      context.addIssue({
        code: "custom",
        path: ["validityPeriodEnd"],
        message: "must be after validityPeriodStart",
      });
    const limit = new Date(referenceEnd);
    limit.setUTCFullYear(limit.getUTCFullYear() + 3);
    if (Date.parse(end) > limit.getTime())
      context.addIssue({
        code: "custom",
        path: ["validityPeriodEnd"],
        message: "must be at most 3 years after pcf.referencePeriodEnd",
      });
  });

export type PactProductFootprint = z.infer<typeof productFootprintSchema>;
export type PactCarbonFootprint = z.infer<typeof pactCarbonFootprintSchema>;
export type PactDataModelExtension = z.infer<typeof pactDataModelExtensionSchema>;
