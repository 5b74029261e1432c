import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { InvalidInputError } from "../errors/index.ts";
import type { FootprintDocument } from "../footprints/footprintDocumentSchema.ts";
import { buildPactTestLot, pactTestParameters } from "./pactFixture.testHelper.ts";
import {
  divideRoundingUp,
  milligramsToKilogramDecimal,
  percentageRoundingDown,
} from "./pactDecimals.ts";
import { pactFootprintIdOf, productFootprintFromLot } from "./productFootprintFromLot.ts";
import { productFootprintSchema } from "./productFootprintSchema.ts";
import {
  lotProofExtensionDataSchema,
  lotProofExtensionJsonSchema,
} from "./lotProofExtensionSchema.ts";

const base = buildPactTestLot();
const map = (document: FootprintDocument = base.document, extra: object = {}) =>
  productFootprintFromLot({ ...pactTestParameters(document, base.lotId, base.cid), ...extra });
const withTotals = (market: string, location: string, units: string): FootprintDocument => {
  const document = structuredClone(base.document);
  document.lot.units = units;
  document.lot.total.emissionsMarketMilligramsCo2e = market;
  document.lot.total.emissionsLocationMilligramsCo2e = location;
  return document;
};

describe("PACT decimals", () => {
  it("writes whole milligrams as exact kilogram decimals", () => {
    assert.equal(milligramsToKilogramDecimal(0n), "0");
    assert.equal(milligramsToKilogramDecimal(1n), "0.000001");
    assert.equal(milligramsToKilogramDecimal(2_500_000n), "2.5");
    assert.equal(milligramsToKilogramDecimal(1_234_567n), "1.234567");
    assert.throws(() => milligramsToKilogramDecimal(-1n), InvalidInputError);
  });
  it("kilogram decimals read back to the same milligrams (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 96n }), (mg) => {
        const [whole, fraction = ""] = milligramsToKilogramDecimal(mg).split(".");
        assert.equal(BigInt(whole ?? "") * 1_000_000n + BigInt(fraction.padEnd(6, "0")), mg);
      }),
    );
  });
  it("rounds per-unit figures up and shares down", () => {
    assert.equal(divideRoundingUp(10n, 3n), 4n);
    assert.equal(divideRoundingUp(9n, 3n), 3n);
    assert.equal(divideRoundingUp(0n, 3n), 0n);
    assert.equal(percentageRoundingDown(2n, 3n), "66.6");
    assert.equal(percentageRoundingDown(3n, 3n), "100");
    assert.equal(percentageRoundingDown(0n, 0n), "0");
  });
});

describe("productFootprintFromLot", () => {
  it("maps the scenario lot to a valid PACT v3 footprint", () => {
    const pf = map();
    assert.equal(productFootprintSchema.safeParse(pf).success, true);
    assert.equal(pf.specVersion, "3.0.0");
    assert.equal(pf.pcf.declaredUnitOfMeasurement, "piece");
    assert.equal(pf.pcf.declaredUnitAmount, "1");
    // 967 613 mg over 100 pieces = 9 676.13 mg, rounded up to 9 677 mg.
    assert.equal(pf.pcf.pcfExcludingBiogenicCO2Withdrawal, "0.009677");
    assert.equal(pf.pcf.pcfIncludingBiogenicCO2Withdrawal, "0.009677");
    assert.equal(pf.pcf.fossilGhgEmissions, "0.009677");
    assert.equal(
      pf.pcf.referencePeriodStart,
      new Date(base.document.scope.startMs).toISOString().replace(".000", ""),
    );
    assert.equal(pf.created, "2026-11-02T12:00:00Z");
    assert.equal(pf.pcf.geographyCountry, "DE");
  });

  it("converts mg CO2e to kg per piece with the written rounding, market or location", () => {
    const doc = withTotals("1000001", "3000000", "2");
    assert.equal(map(doc).pcf.pcfExcludingBiogenicCO2Withdrawal, "0.500001");
    assert.equal(
      map(doc, { electricityMethod: "location" }).pcf.pcfExcludingBiogenicCO2Withdrawal,
      "1.5",
    );
    assert.equal(
      map(withTotals("10", "10", "3")).pcf.pcfExcludingBiogenicCO2Withdrawal,
      "0.000004",
    );
    assert.equal(map(withTotals("0", "0", "7")).pcf.pcfExcludingBiogenicCO2Withdrawal, "0");
    // Beyond 2^53 mg: still exact.
    assert.equal(
      map(withTotals("123456789012345678901", "1", "1")).pcf.pcfExcludingBiogenicCO2Withdrawal,
      "123456789012345.678901",
    );
  });

  it("states the boundary honestly: electricity of the production step, nothing exempted inside it", () => {
    const pf = map();
    assert.match(pf.pcf.boundaryProcessesDescription ?? "", /electricity only/u);
    assert.match(pf.comment ?? "", /Not included: materials/u);
    assert.match(pf.pcf.exemptedEmissionsDescription ?? "", /not a cradle-to-gate footprint/u);
    assert.equal(pf.pcf.exemptedEmissionsPercent, "0");
    const [first] = base.document.factors;
    assert.ok(first);
    assert.deepEqual(pf.pcf.secondaryEmissionFactorSources, [
      { name: first.factor.source, version: first.factor.version },
    ]);
  });

  it("fills the primary-data share and technological DQR from reading quality", () => {
    const all = map();
    assert.equal(all.pcf.primaryDataShare, "100");
    assert.equal(all.pcf.dqi?.technologicalDQR, "1");
    // Mark every reading of one channel estimated: its energy stops counting as primary.
    const doc = structuredClone(base.document);
    const first = doc.readings[0]?.reading;
    assert.ok(first);
    for (const { reading } of doc.readings)
      if (reading.deviceId === first.deviceId && reading.channel === first.channel)
        reading.quality = "estimated";
    const partial = map(doc);
    const share = Number(partial.pcf.primaryDataShare);
    assert.ok(share < 100, `share ${share}`);
    assert.ok(Number(partial.pcf.dqi?.technologicalDQR) > 1);
    // All estimated: share 0, technological DQR 3.
    for (const { reading } of doc.readings) reading.quality = "estimated";
    const none = map(doc);
    assert.equal(none.pcf.primaryDataShare, "0");
    assert.equal(none.pcf.dqi?.technologicalDQR, "3");
  });

  it("points its extension at the lot token, the footprint CID and the verify URL", () => {
    const pf = map();
    const data = pf.extensions?.[0]?.data;
    assert.ok(data);
    assert.equal(data.lotId, base.lotId.toString());
    assert.equal(data.footprintCid, base.cid);
    assert.equal(data.verifyUrl, `https://verify.example/lots/${base.lotId}`);
    assert.equal(data.chainId, 31337);
    assert.ok(pf.productIds.some((id) => id.endsWith(`:${base.lotId}`)));
  });

  it("writes extension data that its published JSON Schema describes, and refuses a verify URL that is not a URL", () => {
    const data = map().extensions?.[0]?.data;
    assert.equal(lotProofExtensionDataSchema.safeParse(data).success, true);
    const schema = lotProofExtensionJsonSchema();
    assert.deepEqual(
      new Set(schema.required as string[]),
      new Set([
        "chainId",
        "productLots",
        "lotId",
        "footprintCid",
        "footprintFormat",
        "verifyUrl",
        "electricityMethod",
        "units",
        "perUnit",
        "provenance",
      ]),
    );
    assert.throws(
      () => map(base.document, { verifyUrl: "lot 7" }),
      /extensions\.0\.data\.verifyUrl/u,
    );
  });

  it("gives each lot one stable UUID v8 id", () => {
    const lot = {
      chainId: 1,
      contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const,
      lotId: 7n,
    };
    const id = pactFootprintIdOf(lot);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    assert.equal(
      pactFootprintIdOf({ ...lot, contract: "0x5fbdb2315678afecb367f032d93f642f64180aa3" }),
      id,
    );
    assert.notEqual(pactFootprintIdOf({ ...lot, lotId: 8n }), id);
    assert.notEqual(pactFootprintIdOf({ ...lot, chainId: 10 }), id);
  });

  it("refuses a lot of zero units and a footprint the schema refuses, naming the field", () => {
    assert.throws(() => map(withTotals("1", "1", "0")), /document\.lot\.units/u);
    assert.throws(
      () => map(base.document, { company: { name: "X", ids: ["not-a-urn"] } }),
      (error: unknown) =>
        error instanceof InvalidInputError && error.message.includes("companyIds"),
    );
  });
});
