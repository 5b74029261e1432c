import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidInputError } from "../errors/index.ts";
import { buildPactTestLot, pactTestParameters } from "../pact/pactFixture.testHelper.ts";
import { productFootprintFromLot } from "../pact/productFootprintFromLot.ts";
import {
  productFootprintSchema,
  type PactProductFootprint,
} from "../pact/productFootprintSchema.ts";
import { billOfMaterialsSchema } from "./billOfMaterialsSchema.ts";
import { materialsExtensionDataSchema } from "./materialsExtensionSchema.ts";
import { materialsFootprintOf } from "./materialsFootprintOf.ts";
import { productFootprintWithMaterials } from "./productFootprintWithMaterials.ts";

const lot = buildPactTestLot();
const production = productFootprintFromLot(pactTestParameters(lot.document, lot.lotId, lot.cid));

function supplier(
  id: string,
  unit: "kilogram" | "piece",
  amount: string,
  kg: string,
  extra: Partial<PactProductFootprint["pcf"]> = {},
): PactProductFootprint {
  return productFootprintSchema.parse({
    ...production,
    id,
    companyName: `Supplier ${id.slice(0, 4)}`,
    productNameCompany: `Part ${id.slice(0, 4)}`,
    extensions: undefined,
    pcf: {
      ...production.pcf,
      declaredUnitOfMeasurement: unit,
      declaredUnitAmount: amount,
      pcfExcludingBiogenicCO2Withdrawal: kg,
      pcfIncludingBiogenicCO2Withdrawal: kg,
      fossilGhgEmissions: kg,
      primaryDataShare: "50",
      dqi: { technologicalDQR: "2.3", temporalDQR: "1", geographicalDQR: "4" },
      ...extra,
    },
  });
}
const steel = supplier("11111111-1111-4111-8111-111111111111", "kilogram", "1", "2.5");
const bolts = supplier("22222222-2222-4222-8222-222222222222", "piece", "3", "0.1");
const suppliers = new Map([
  [steel.id, steel],
  [bolts.id, bolts],
]);
const steelSheet = {
  component: "steel sheet",
  quantity: "0.42",
  unit: "kilogram" as const,
  supplierFootprintId: steel.id,
};
const bolt = {
  component: "M6 bolt",
  quantity: "2",
  unit: "piece" as const,
  supplierFootprintId: bolts.id,
};
const components = [steelSheet, bolt];

describe("materialsFootprintOf", () => {
  it("multiplies BOM quantities by the suppliers' per-declared-unit footprints, rounding up to the mg", () => {
    const materials = materialsFootprintOf({ components, supplierFootprints: suppliers });
    // 0.42 kg × 2.5 kg/kg = 1.05 kg; 2 pieces × 0.1 kg / 3 pieces = 0.0666…6 → 66 667 mg.
    assert.deepEqual(
      materials.components.map((c) => c.pcfExcludingBiogenicMilligrams),
      [1_050_000n, 66_667n],
    );
    assert.equal(materials.totalKg, "1.116667");
  });

  it("refuses a missing footprint, a unit mismatch and a deprecated footprint, naming the component", () => {
    const missing = {
      ...steelSheet,
      supplierFootprintId: "33333333-3333-4333-8333-333333333333",
    };
    assert.throws(
      () => materialsFootprintOf({ components: [missing], supplierFootprints: suppliers }),
      (error: unknown) =>
        error instanceof InvalidInputError && error.path === "components.0.supplierFootprintId",
    );
    const wrongUnit = { ...bolt, unit: "kilogram" as const };
    assert.throws(
      () =>
        materialsFootprintOf({
          components: [steelSheet, wrongUnit],
          supplierFootprints: suppliers,
        }),
      (error: unknown) => error instanceof InvalidInputError && error.path === "components.1.unit",
    );
    const old = { ...steel, status: "Deprecated" as const };
    assert.throws(
      () =>
        materialsFootprintOf({
          components: [steelSheet],
          supplierFootprints: new Map([[old.id, old]]),
        }),
      /Deprecated/u,
    );
  });
});

describe("productFootprintWithMaterials", () => {
  const materials = materialsFootprintOf({ components, supplierFootprints: suppliers });
  const combined = productFootprintWithMaterials({
    production,
    materials,
    supplierFootprints: suppliers,
    materialsExtensionSchemaUrl:
      "https://gateway.example/pact/extensions/ei-materials/1.0.0/schema.json",
  });

  it("declares materials plus production, a valid PACT footprint with its own id", () => {
    assert.ok(productFootprintSchema.safeParse(combined).success);
    assert.notEqual(combined.id, production.id);
    const productionMg = BigInt(
      Math.round(Number(production.pcf.pcfExcludingBiogenicCO2Withdrawal) * 1e6),
    );
    const totalMg = BigInt(
      Math.round(Number(combined.pcf.pcfExcludingBiogenicCO2Withdrawal) * 1e6),
    );
    assert.equal(totalMg, productionMg + materials.totalMilligrams);
  });

  it("keeps the two parts apart in an extension and says so in the comment and boundary", () => {
    const extension = combined.extensions?.find((e) => e.dataSchema.includes("ei-materials"));
    const data = materialsExtensionDataSchema.parse(extension?.data);
    assert.equal(data.materialsKgCo2e, "1.116667");
    assert.equal(data.productionKgCo2e, production.pcf.pcfExcludingBiogenicCO2Withdrawal);
    assert.equal(data.productionFootprintId, production.id);
    assert.match(combined.comment ?? "", /Materials plus production/u);
    assert.match(combined.pcf.boundaryProcessesDescription ?? "", /bill of materials/u);
    // The lot-proof extension is still there.
    assert.equal(combined.extensions?.[0]?.data.footprintCid, lot.cid);
  });

  it("never flatters data quality: worst DQR of the parts, emissions-weighted primary share", () => {
    assert.deepEqual(combined.pcf.dqi, {
      technologicalDQR: "2.3",
      temporalDQR: production.pcf.dqi?.temporalDQR,
      geographicalDQR: "4",
    });
    const share = Number(combined.pcf.primaryDataShare);
    assert.ok(share >= 50 && share <= Number(production.pcf.primaryDataShare));
  });
});

describe("billOfMaterialsSchema", () => {
  it("accepts a BOM per SKU and refuses a zero quantity or a product listed twice", () => {
    const product = `0x${"9d".repeat(32)}`;
    const bom = {
      format: "ei-bom-v1",
      products: [{ productId: product, sku: "B-12", components }],
    };
    assert.ok(billOfMaterialsSchema.safeParse(bom).success);
    const zero = {
      ...bom,
      products: [{ productId: product, components: [{ ...components[0], quantity: "0" }] }],
    };
    assert.ok(!billOfMaterialsSchema.safeParse(zero).success);
    const twice = { ...bom, products: [bom.products[0], bom.products[0]] };
    assert.ok(!billOfMaterialsSchema.safeParse(twice).success);
  });
});
