import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildPactTestLot, pactTestParameters } from "./pactFixture.testHelper.ts";
import { productFootprintFromLot } from "./productFootprintFromLot.ts";
import { productFootprintSchema } from "./productFootprintSchema.ts";

const { document, lotId, cid } = buildPactTestLot();
const valid = productFootprintFromLot(pactTestParameters(document, lotId, cid));
const clone = () =>
  structuredClone(valid) as Record<string, unknown> & { pcf: Record<string, unknown> };
const failsAt = (value: unknown, path: string) => {
  const result = productFootprintSchema.safeParse(value);
  assert.equal(result.success, false, `expected a failure at ${path}`);
  assert.ok(
    result.error.issues.some((issue) => issue.path.join(".") === path),
    `${path} not among ${JSON.stringify(result.error.issues.map((i) => i.path.join(".")))}`,
  );
};

describe("PACT v3 ProductFootprint schema", () => {
  it("accepts a mapped lot", () => {
    assert.equal(productFootprintSchema.safeParse(valid).success, true);
  });

  for (const field of [
    "id",
    "specVersion",
    "version",
    "created",
    "status",
    "companyName",
    "companyIds",
    "productDescription",
    "productIds",
    "productNameCompany",
    "pcf",
  ]) {
    it(`refuses a footprint without mandatory ${field}`, () => {
      const pf = clone();
      Reflect.deleteProperty(pf, field);
      failsAt(pf, field);
    });
  }
  for (const field of [
    "declaredUnitOfMeasurement",
    "declaredUnitAmount",
    "productMassPerDeclaredUnit",
    "referencePeriodStart",
    "referencePeriodEnd",
    "pcfExcludingBiogenicCO2Withdrawal",
    "pcfIncludingBiogenicCO2Withdrawal",
    "fossilGhgEmissions",
    "fossilCarbonContent",
    "biogenicCarbonContent",
    "ipccCharacterizationFactors",
    "crossSectoralStandards",
    "exemptedEmissionsPercent",
  ]) {
    it(`refuses a pcf without mandatory ${field}`, () => {
      const pf = clone();
      Reflect.deleteProperty(pf.pcf, field);
      failsAt(pf, `pcf.${field}`);
    });
  }

  for (const field of ["primaryDataShare", "dqi"]) {
    it(`refuses a pcf without ${field} when its reference period reaches 2025 or later, not before`, () => {
      const pf = clone();
      Reflect.deleteProperty(pf.pcf, field);
      pf.pcf.referencePeriodStart = "2024-06-01T00:00:00Z";
      pf.pcf.referencePeriodEnd = "2024-12-31T00:00:00Z";
      assert.equal(productFootprintSchema.safeParse(pf).success, true);
      pf.pcf.referencePeriodEnd = "2025-01-02T00:00:00Z";
      failsAt(pf, `pcf.${field}`);
    });
  }

  const formatCases: [string, (pf: ReturnType<typeof clone>) => void, string][] = [
    [
      "a decimal with a comma",
      (pf) => (pf.pcf.pcfExcludingBiogenicCO2Withdrawal = "1,5"),
      "pcf.pcfExcludingBiogenicCO2Withdrawal",
    ],
    [
      "a decimal as a JSON number",
      (pf) => (pf.pcf.fossilGhgEmissions = 1.5),
      "pcf.fossilGhgEmissions",
    ],
    [
      "negative fossil emissions",
      (pf) => (pf.pcf.fossilGhgEmissions = "-0.1"),
      "pcf.fossilGhgEmissions",
    ],
    [
      "a positive biogenic withdrawal",
      (pf) => (pf.pcf.biogenicCO2Withdrawal = "0.2"),
      "pcf.biogenicCO2Withdrawal",
    ],
    [
      "a zero declared unit amount",
      (pf) => (pf.pcf.declaredUnitAmount = "0.0"),
      "pcf.declaredUnitAmount",
    ],
    ["an id that is not a UUID", (pf) => (pf.id = "lot-7"), "id"],
    ["a company id that is not a URN", (pf) => (pf.companyIds = ["example-works"]), "companyIds.0"],
    ["duplicate product ids", (pf) => (pf.productIds = ["urn:a:b", "urn:a:b"]), "productIds"],
    ["an empty product id set", (pf) => (pf.productIds = []), "productIds"],
    ["a time with an offset", (pf) => (pf.created = "2026-11-02T12:00:00+01:00"), "created"],
    ["a date without time", (pf) => (pf.created = "2026-11-02"), "created"],
    ["a version above 2^31-1", (pf) => (pf.version = 2 ** 31), "version"],
    ["specVersion not semver", (pf) => (pf.specVersion = "3.0"), "specVersion"],
    [
      "an IPCC factor not AR<n>",
      (pf) => (pf.pcf.ipccCharacterizationFactors = ["IPCC6"]),
      "pcf.ipccCharacterizationFactors.0",
    ],
    ["a share above 100 %", (pf) => (pf.pcf.primaryDataShare = "100.1"), "pcf.primaryDataShare"],
    [
      "a DQR outside 1–5",
      (pf) => ((pf.pcf.dqi as Record<string, string>).temporalDQR = "0.5"),
      "pcf.dqi.temporalDQR",
    ],
    ["a lower-case country", (pf) => (pf.pcf.geographyCountry = "de"), "pcf.geographyCountry"],
    [
      "two geography granularities",
      (pf) => (pf.pcf.geographyRegionOrSubregion = "Western Europe"),
      "pcf.geographyCountry",
    ],
    [
      "a reference period ending before it starts",
      (pf) => (pf.pcf.referencePeriodEnd = "2000-01-01T00:00:00Z"),
      "pcf.referencePeriodEnd",
    ],
    [
      "a validity period before the reference period ends",
      (pf) =>
        Object.assign(pf, {
          validityPeriodStart: "2000-01-01T00:00:00Z",
          validityPeriodEnd: "2000-02-01T00:00:00Z",
        }),
      "validityPeriodStart",
    ],
    [
      "a validity period of more than 3 years",
      (pf) =>
        Object.assign(pf, {
          validityPeriodStart: pf.pcf.referencePeriodEnd,
          validityPeriodEnd: "2099-01-01T00:00:00Z",
        }),
      "validityPeriodEnd",
    ],
    [
      "an extension without dataSchema",
      (pf) => (pf.extensions = [{ specVersion: "1.0.0", data: {} }]),
      "extensions.0.dataSchema",
    ],
  ];
  for (const [label, mutate, path] of formatCases) {
    it(`refuses ${label}`, () => {
      const pf = clone();
      mutate(pf);
      failsAt(pf, path);
    });
  }

  const enumCases: [string, (pf: ReturnType<typeof clone>) => void, string][] = [
    ["status", (pf) => (pf.status = "Draft"), "status"],
    [
      "declaredUnitOfMeasurement",
      (pf) => (pf.pcf.declaredUnitOfMeasurement = "pieces"),
      "pcf.declaredUnitOfMeasurement",
    ],
    [
      "geographyRegionOrSubregion",
      (pf) => {
        delete pf.pcf.geographyCountry;
        pf.pcf.geographyRegionOrSubregion = "Mars";
      },
      "pcf.geographyRegionOrSubregion",
    ],
    [
      "verification.coverage",
      (pf) => (pf.pcf.verification = { coverage: "corporate level" }),
      "pcf.verification.coverage",
    ],
    [
      "productOrSectorSpecificRules.operator",
      (pf) => (pf.pcf.productOrSectorSpecificRules = [{ operator: "ISO", ruleNames: ["x"] }]),
      "pcf.productOrSectorSpecificRules.0.operator",
    ],
  ];
  for (const [label, mutate, path] of enumCases) {
    it(`refuses a value outside the ${label} enumeration`, () => {
      const pf = clone();
      mutate(pf);
      failsAt(pf, path);
    });
  }

  it("accepts every declared unit and status the specification lists", () => {
    for (const unit of [
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
    ]) {
      const pf = clone();
      pf.pcf.declaredUnitOfMeasurement = unit;
      pf.status = "Deprecated";
      assert.equal(productFootprintSchema.safeParse(pf).success, true, unit);
    }
  });

  it("accepts cross-sectoral standards from later revisions (the spec says hosts MUST)", () => {
    const pf = clone();
    pf.pcf.crossSectoralStandards = ["ISO14067", "ISO99999"];
    assert.equal(productFootprintSchema.safeParse(pf).success, true);
  });
});
