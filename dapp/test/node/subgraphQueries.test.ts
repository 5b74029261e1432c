import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { createRequire } from "node:module";
import { buildQuerySchema } from "../../../subgraph/src/query/buildQuerySchema.ts";
import { readEntitySchema } from "../../../subgraph/src/query/readEntitySchema.ts";
import * as dashboard from "../../src/dashboard/dashboardQueries.ts";
import { LOT_QUERY } from "../../src/data/lotQueries.ts";

// The subgraph workspace has its own graphql copy; its schema objects only validate with it.
interface SubgraphGraphql {
  parse: (text: string) => unknown;
  validate: (schema: ReturnType<typeof buildQuerySchema>, document: unknown) => readonly Error[];
}
const { parse, validate } = createRequire(
  new URL("../../../subgraph/package.json", import.meta.url),
)("graphql") as SubgraphGraphql;

// The dapp's queries against the query API the indexer serves for subgraph/schema.graphql, so a
// schema change that breaks a page fails here rather than as an "indexer error" page.
const schema = buildQuerySchema(
  readEntitySchema(
    readFileSync(new URL("../../../subgraph/schema.graphql", import.meta.url), "utf8"),
  ),
);

const QUERIES: Record<string, string> = {
  LOT_QUERY,
  SITES_QUERY: dashboard.SITES_QUERY,
  SITE_QUERY: dashboard.SITE_QUERY,
  MACHINE_QUERY: dashboard.MACHINE_QUERY,
  DEVICE_QUERY: dashboard.DEVICE_QUERY,
  PRODUCTS_QUERY: dashboard.PRODUCTS_QUERY,
  PRODUCT_QUERY: dashboard.PRODUCT_QUERY,
};

describe("the dapp's subgraph queries", () => {
  for (const [name, query] of Object.entries(QUERIES)) {
    it(`${name} is valid against the subgraph's query schema`, () => {
      const errors = validate(schema, parse(query));
      assert.deepEqual(
        errors.map((error) => error.message),
        [],
      );
    });
  }
  it("catches a field the schema does not have", () => {
    const errors = validate(schema, parse("{ devices { id active } }"));
    assert.equal(errors.length, 1);
  });
});
