import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { productFootprintFromLot } from "../pact/productFootprintFromLot.ts";
import {
  productFootprintSchema,
  type PactProductFootprint,
} from "../pact/productFootprintSchema.ts";
import { buildPactTestLot, pactTestParameters } from "../pact/pactFixture.testHelper.ts";
import { materialsFootprintOf } from "../bom/materialsFootprintOf.ts";
import { aasEnvironmentFromJson, aasEnvironmentToJson } from "./aasJson.ts";
import { buildAasxPackage, readAasxPackage } from "./aasxPackage.ts";
import { buildLotAas } from "./buildLotAas.ts";
import { buildMachineAas } from "./buildMachineAas.ts";
import { IDTA_CARBON_FOOTPRINT, IDTA_LIFE_CYCLE_PHASES } from "./carbonFootprintSemanticIds.ts";
import { aas } from "./loadAasCore.ts";
import { verifyAasEnvironment } from "./verifyAasEnvironment.ts";

const lot = buildPactTestLot();
const footprint = productFootprintFromLot(pactTestParameters(lot.document, lot.lotId, lot.cid));

interface JsonKeyed {
  semanticId?: { keys: { value: string }[] };
  idShort?: string;
  value?: unknown;
}
const semanticOf = (element: JsonKeyed) => element.semanticId?.keys[0]?.value;

function supplier(id: string, kgPerKg: string): PactProductFootprint {
  return productFootprintSchema.parse({
    ...footprint,
    id,
    companyName: "Steel Supplier AG",
    productNameCompany: "Cold-rolled sheet",
    pcf: {
      ...footprint.pcf,
      declaredUnitOfMeasurement: "kilogram",
      declaredUnitAmount: "1",
      pcfExcludingBiogenicCO2Withdrawal: kgPerKg,
      pcfIncludingBiogenicCO2Withdrawal: kgPerKg,
      fossilGhgEmissions: kgPerKg,
    },
  });
}

describe("buildLotAas", () => {
  it("builds a shell and an IDTA 02023 submodel that aas-core verifies with no errors", () => {
    const environment = buildLotAas({ footprint });
    assert.deepEqual(verifyAasEnvironment(environment), []);
    const json = JSON.parse(aasEnvironmentToJson(environment)) as {
      assetAdministrationShells: {
        id: string;
        assetInformation: { globalAssetId: string; assetKind: string };
        submodels: { keys: { value: string }[] }[];
      }[];
      submodels: {
        id: string;
        semanticId: { keys: { value: string }[] };
        submodelElements: (JsonKeyed & { value: (JsonKeyed & { value: JsonKeyed[] })[] })[];
      }[];
    };
    const shell = json.assetAdministrationShells[0];
    const submodel = json.submodels[0];
    assert.ok(shell !== undefined && submodel !== undefined);
    assert.equal(
      shell.assetInformation.globalAssetId,
      `urn:ei:lot:31337:0x5fbdb2315678afecb367f032d93f642f64180aa3:${lot.lotId}`,
    );
    // The PACT footprint lists the same URN as a product id: one identity across standards.
    assert.ok(footprint.productIds.includes(shell.assetInformation.globalAssetId));
    assert.equal(shell.assetInformation.assetKind, "Instance");
    assert.equal(shell.submodels[0]?.keys[0]?.value, submodel.id);
    assert.equal(submodel.semanticId.keys[0]?.value, IDTA_CARBON_FOOTPRINT.submodel);
    const list = submodel.submodelElements[0];
    assert.ok(list !== undefined);
    assert.equal(list.idShort, "ProductCarbonFootprints");
    const [entry] = list.value;
    const co2 = entry?.value.find((e) => semanticOf(e) === IDTA_CARBON_FOOTPRINT.pcfCo2eq);
    assert.equal(co2?.value, footprint.pcf.pcfExcludingBiogenicCO2Withdrawal);
    const phases = entry?.value.find(
      (e) => semanticOf(e) === IDTA_CARBON_FOOTPRINT.lifeCyclePhases,
    );
    assert.deepEqual(
      (phases?.value as JsonKeyed[]).map((p) => p.value),
      [IDTA_LIFE_CYCLE_PHASES.production],
    );
  });

  it("shows purchased materials as a separate A1 footprint next to production (A3)", () => {
    const sheet = supplier("0b4f3a52-6f5e-4c1b-9a55-2f6a1d2c3b4a", "2.5");
    const materials = materialsFootprintOf({
      components: [
        {
          component: "steel sheet",
          quantity: "0.42",
          unit: "kilogram",
          supplierFootprintId: sheet.id,
        },
      ],
      supplierFootprints: new Map([[sheet.id, sheet]]),
    });
    assert.equal(materials.totalKg, "1.05");
    const environment = buildLotAas({ footprint, materials });
    assert.deepEqual(verifyAasEnvironment(environment), []);
    const submodel = [...environment.overSubmodelsOrEmpty()][0];
    const first = submodel?.submodelElements?.[0];
    assert.ok(first !== undefined);
    const list = aas.types.asSubmodelElementList(first);
    assert.ok(list?.value != null);
    assert.equal(list.value.length, 2);
    const values = list.value.map((entry) => {
      const collection = aas.types.asSubmodelElementCollection(entry);
      const co2 = collection?.value
        ?.map((e) => aas.types.asProperty(e))
        .find((p) => p?.semanticId?.keys[0]?.value === IDTA_CARBON_FOOTPRINT.pcfCo2eq);
      return co2?.value;
    });
    assert.deepEqual(values, [footprint.pcf.pcfExcludingBiogenicCO2Withdrawal, "1.05"]);
  });

  it("aas-core verification reports a broken element (the check can fail)", () => {
    const environment = buildLotAas({ footprint });
    const submodel = [...environment.overSubmodelsOrEmpty()][0];
    assert.ok(submodel !== undefined);
    submodel.idShort = "not a valid idShort";
    assert.ok(verifyAasEnvironment(environment).length > 0);
  });
});

describe("buildMachineAas", () => {
  it("gives each metered machine a verified shell with one B6 entry per lot", () => {
    const machine = lot.document.machines[0];
    assert.ok(machine !== undefined);
    const environment = buildMachineAas({
      siteId: lot.document.siteId,
      machineId: machine.machineId,
      lots: [{ lotId: lot.lotId, document: lot.document, mintedAtMs: Date.UTC(2026, 10, 2) }],
    });
    assert.deepEqual(verifyAasEnvironment(environment), []);
    const json = aasEnvironmentToJson(environment);
    assert.ok(json.includes(IDTA_LIFE_CYCLE_PHASES.usageEnergyConsumption));
    assert.ok(json.includes(`urn:ei:machine:${lot.document.siteId.toLowerCase()}`));
  });
});

describe("AASX package", () => {
  it("opens the OPC way and its JSON round-trips through aas-core's jsonization", () => {
    const environment = buildLotAas({ footprint });
    const bytes = buildAasxPackage(environment, { name: "lot" });
    const opened = readAasxPackage(bytes);
    assert.deepEqual(opened.specParts, ["/aasx/lot/lot.aas.json"]);
    const [back] = opened.environments;
    assert.ok(back !== undefined);
    assert.equal(aasEnvironmentToJson(back), aasEnvironmentToJson(environment));
    assert.deepEqual(verifyAasEnvironment(back), []);
    // Deterministic: the same environment gives the same bytes.
    assert.deepEqual(buildAasxPackage(environment, { name: "lot" }), bytes);
  });

  it("refuses bytes that are not a package, and JSON that is not an environment", () => {
    assert.throws(() => readAasxPackage(new Uint8Array([1, 2, 3])), /not a zip/u);
    assert.throws(
      () => aasEnvironmentFromJson('{"submodels":[{"id":5}]}'),
      /environment.*submodels/u,
    );
  });
});
