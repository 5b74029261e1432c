import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import {
  readAasxPackage,
  verifyAasEnvironment,
  IDTA_LIFE_CYCLE_PHASES,
  aasEnvironmentToJson,
} from "@energy-intelligence/sdk/aas/index";
import {
  productFootprintFromLot,
  productFootprintSchema,
  type PactProductFootprint,
} from "@energy-intelligence/sdk/pact/index";
import { materialsExtensionDataSchema } from "@energy-intelligence/sdk/bom/index";
import { PactFootprintsRepository } from "@energy-intelligence/oracle/pact/pactFootprintsRepository";
import { SupplierFootprintsRepository } from "@energy-intelligence/oracle/pact/supplierFootprintsRepository";
import { openStore } from "@energy-intelligence/oracle/store/openStore";
import { buildPactTestLot, pactTestParameters } from "../../sdk/src/pact/pactFixture.testHelper.ts";
import { runEi } from "../cli/runEi.testHelper.ts";

const dir = mkdtempSync(path.join(tmpdir(), "ei-export-"));
const dataDir = path.join(dir, "gateway");
after(() => {
  rmSync(dir, { recursive: true, force: true });
});
const lot = buildPactTestLot();
const published = productFootprintFromLot(pactTestParameters(lot.document, lot.lotId, lot.cid));
const sheet: PactProductFootprint = productFootprintSchema.parse({
  ...published,
  id: "11111111-1111-4111-8111-111111111111",
  companyName: "Steel Supplier AG",
  productNameCompany: "Cold-rolled sheet",
  extensions: undefined,
  pcf: {
    ...published.pcf,
    declaredUnitOfMeasurement: "kilogram",
    pcfExcludingBiogenicCO2Withdrawal: "2.5",
    pcfIncludingBiogenicCO2Withdrawal: "2.5",
    fossilGhgEmissions: "2.5",
  },
});
{
  const db = openStore({ dataDir });
  new PactFootprintsRepository(db).publish(lot.lotId, published);
  new SupplierFootprintsRepository(db).keep("http://supplier.example", [sheet], 1);
  db.close();
}
const bomFile = path.join(dir, "bom.json");
writeFileSync(
  bomFile,
  JSON.stringify({
    format: "ei-bom-v1",
    products: [
      {
        productId: lot.document.productId,
        sku: "B-12",
        components: [
          {
            component: "steel sheet",
            quantity: "0.42",
            unit: "kilogram",
            supplierFootprintId: sheet.id,
          },
        ],
      },
    ],
  }),
);
const lotArg = lot.lotId.toString();

describe("ei export pact", () => {
  it("prints the lot's published PACT footprint from the gateway store", async () => {
    const run = await runEi(["export", "pact", lotArg, "--data-dir", dataDir]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), published);
  });

  it("adds the purchased materials from a bill of materials, shown apart from production", async () => {
    const out = path.join(dir, "with-bom.json");
    const run = await runEi([
      "export",
      "pact",
      lotArg,
      "--data-dir",
      dataDir,
      "--bom",
      bomFile,
      "--out",
      out,
    ]);
    assert.equal(run.exitCode, 0, run.stderr);
    const pf = productFootprintSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    assert.notEqual(pf.id, published.id);
    const data = materialsExtensionDataSchema.parse(pf.extensions?.[1]?.data);
    assert.equal(data.materialsKgCo2e, "1.05");
    assert.equal(data.productionKgCo2e, published.pcf.pcfExcludingBiogenicCO2Withdrawal);
  });

  it("names an unknown lot and a bad BOM clearly (exit 2)", async () => {
    const unknown = await runEi(["export", "pact", "42", "--data-dir", dataDir]);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /lot 42 has no published footprint[\s\S]*next:/u);
    const badBom = path.join(dir, "bad-bom.json");
    writeFileSync(
      badBom,
      JSON.stringify({ format: "ei-bom-v1", products: [{ productId: "0x12", components: [] }] }),
    );
    const bad = await runEi(["export", "pact", lotArg, "--data-dir", dataDir, "--bom", badBom]);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /bad-bom\.json: products\.0\.productId/u);
  });
});

describe("ei export pact --geography-country", () => {
  it("refuses a code that is not ISO 3166-1 alpha-2, and the option without --rpc (exit 2)", async () => {
    const bad = await runEi([
      "export",
      "pact",
      lotArg,
      "--rpc",
      "http://127.0.0.1:9",
      "--ipfs",
      dir,
      "--geography-country",
      "DEU",
    ]);
    assert.equal(bad.exitCode, 2);
    assert.match(bad.stderr, /--geography-country: expected an ISO 3166-1 alpha-2 code like DE/u);
    const stored = await runEi([
      "export",
      "pact",
      lotArg,
      "--data-dir",
      dataDir,
      "--geography-country",
      "FR",
    ]);
    assert.equal(stored.exitCode, 2);
    assert.match(stored.stderr, /--geography-country applies to a footprint rebuilt from chain/u);
    assert.equal(stored.stdout, "");
    const help = await runEi(["export", "pact", "--help"]);
    assert.match(help.stdout, /--geography-country <code>/u);
  });
});

describe("ei export aas", () => {
  it("writes an AASX package that opens and round-trips, aas-core-valid, with materials apart", async () => {
    const file = path.join(dir, "lot.aasx");
    const run = await runEi([
      "export",
      "aas",
      lotArg,
      "--data-dir",
      dataDir,
      "--bom",
      bomFile,
      "--aasx",
      file,
    ]);
    assert.equal(run.exitCode, 0, run.stderr);
    const { environments } = readAasxPackage(readFileSync(file));
    const [environment] = environments;
    assert.ok(environment !== undefined);
    assert.deepEqual(verifyAasEnvironment(environment), []);
    const json = aasEnvironmentToJson(environment);
    assert.ok(json.includes(IDTA_LIFE_CYCLE_PHASES.rawMaterialSupply));
    assert.ok(json.includes(IDTA_LIFE_CYCLE_PHASES.production));
  });

  it("prints AAS JSON, and --help shows examples", async () => {
    const run = await runEi(["export", "aas", lotArg, "--data-dir", dataDir]);
    assert.equal(run.exitCode, 0, run.stderr);
    const env = JSON.parse(run.stdout) as {
      assetAdministrationShells: { assetInformation: { globalAssetId: string } }[];
    };
    assert.ok(
      published.productIds.includes(
        env.assetAdministrationShells[0]?.assetInformation.globalAssetId ?? "",
      ),
    );
    const help = await runEi(["export", "aas", "--help"]);
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /Examples:[\s\S]*--aasx/u);
  });
});
