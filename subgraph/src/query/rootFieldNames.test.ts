import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { getNamedType, isEnumType, isInputObjectType } from "graphql";
import { buildQuerySchema } from "./buildQuerySchema.ts";
import { readEntitySchema } from "./readEntitySchema.ts";
import { rootFieldNames, toCamelCase, toPlural } from "./rootFieldNames.ts";

const SUBGRAPH_SCHEMA = readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8");

describe("rootFieldNames", () => {
  it("camel-cases and pluralises type names as graph-node (Inflector) does", () => {
    const cases: [string, string, string][] = [
      ["Site", "site", "sites"],
      ["ProductLot", "productLot", "productLots"],
      ["SiteDailyEnergy", "siteDailyEnergy", "siteDailyEnergies"],
      ["LotHolder", "lotHolder", "lotHolders"],
      ["Attestation", "attestation", "attestations"],
      ["Status", "status", "statuses"],
      ["Box", "box", "boxes"],
      ["Batch", "batch", "batches"],
      ["Day", "day", "days"],
      ["Analysis", "analysis", "analyses"],
      ["Person", "person", "people"],
      ["NFTItem", "nftItem", "nftItems"],
      ["Metadata", "metadata", "metadata"],
    ];
    for (const [type, single, collection] of cases) {
      assert.deepEqual(rootFieldNames(type), { single, collection }, type);
    }
    assert.equal(toCamelCase("ERC1155Token"), "erc1155Token");
    assert.equal(toPlural("Wolf"), "Wolves");
  });
});

describe("the query schema of this subgraph", () => {
  const schema = buildQuerySchema(readEntitySchema(SUBGRAPH_SCHEMA));
  const query = schema.getQueryType();
  assert.ok(query);
  const fields = query.getFields();

  it("has a by-id and a collection field for every entity, and _meta", () => {
    for (const name of [
      "site",
      "sites",
      "container",
      "containers",
      "productLots",
      "lotTransfers",
      "siteDailyEnergies",
      "machineDailyEnergies",
      "deviceDailyEnergies",
      "_meta",
    ]) {
      assert.ok(fields[name], name);
    }
    assert.deepEqual(
      fields.containers?.args.map((a) => a.name),
      ["skip", "first", "orderBy", "orderDirection", "where", "block", "subgraphError"],
    );
    assert.deepEqual(
      fields.container?.args.map((a) => a.name),
      ["id", "block", "subgraphError"],
    );
  });

  it("offers graph-node's filter keys and child sort keys", () => {
    const filter = schema.getType("Container_filter");
    assert.ok(isInputObjectType(filter));
    const keys = Object.keys(filter.getFields());
    for (const key of [
      "energyImportedMilliWattHours_gt",
      "energyImportedMilliWattHours_in",
      "site",
      "site_starts_with_nocase",
      "site_",
      "supersedes_",
      "attestations_",
      "merkleRoot_contains",
      "current_not",
      "_change_block",
      "and",
      "or",
    ]) {
      assert.ok(keys.includes(key), key);
    }
    assert.ok(!keys.includes("attestations"), "derived fields have only a child filter");
    assert.ok(!keys.includes("current_gt"), "Booleans are not ordered");

    const orderBy = schema.getType("Container_orderBy");
    assert.ok(isEnumType(orderBy));
    const values = orderBy.getValues().map((v) => v.name);
    assert.ok(values.includes("periodStart"));
    assert.ok(values.includes("site__name"));
    assert.ok(values.includes("stream__streamId"));
    assert.ok(!values.includes("site__machines"), "lists of the child are not sortable");

    const jobMachines = schema.getType("Job");
    assert.ok(jobMachines && "getFields" in jobMachines);
    const machinesField = jobMachines.getFields().machines;
    assert.ok(machinesField && "args" in machinesField);
    assert.equal(getNamedType(machinesField.type).name, "Machine");
    assert.deepEqual(
      machinesField.args.map((a) => a.name),
      ["skip", "first", "orderBy", "orderDirection", "where"],
    );
  });
});
