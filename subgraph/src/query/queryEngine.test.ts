import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { ensureQueryIndexes } from "./ensureQueryIndexes.ts";
import { QueryEngine, type QueryResponse } from "./queryEngine.ts";
import { readEntitySchema } from "./readEntitySchema.ts";
import {
  createFixtureStore,
  fixtureBlockHash,
  fixtureBlockTimestamp,
  type FixtureStore,
} from "./testing/fixtureStore.ts";
import { TEST_SCHEMA } from "./testing/testSchema.ts";

const schema = readEntitySchema(TEST_SCHEMA);

function engineFor(fixture: FixtureStore): QueryEngine {
  ensureQueryIndexes(fixture.store.db, schema);
  return new QueryEngine(fixture.store.db, schema);
}

/** The response's data as JSON sees it (graphql-js builds null-prototype objects). */
function data(response: QueryResponse): Record<string, unknown> {
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  assert.ok(response.data);
  return JSON.parse(JSON.stringify(response.data)) as Record<string, unknown>;
}

function json(response: QueryResponse): unknown {
  return JSON.parse(JSON.stringify(response));
}

function ids(response: QueryResponse, field: string): string[] {
  const list = data(response)[field] as { id: string }[];
  return list.map((e) => e.id);
}

function errorMessages(response: QueryResponse): string[] {
  assert.equal(response.data, undefined, "no data alongside errors");
  assert.ok(response.errors);
  return response.errors.map((e) => e.message);
}

interface ContainerFixture {
  id: string;
  site: string;
  machines: string[];
  energy: string;
  readingCount: number;
  current: boolean;
  note: string | null;
  root: string;
  sequence: number;
  supersedes: string | null;
}

const CONTAINERS: ContainerFixture[] = [
  ["c01", "s1", ["m1"], "5", 3, true, "first batch", "0xaabbcc", 1, null],
  ["c02", "s1", ["m1", "m2"], "-7", 1, true, null, "0x0aabbc", 2, null],
  ["c03", "s2", ["m3"], "100000000000000000000000", 7, true, "Second shift", "0x112233", 3, null],
  ["c04", "s2", ["m3"], "9", 7, false, "third", "0xabcabc", 4, null],
  ["c05", "s1", [], "-100", 2, true, "night", "0x00", 5, null],
  ["c06", "s3", [], "0", 9, true, "FIRST light", "0xff00", 6, null],
  ["c07", "s1", ["m2"], "10", 4, true, null, "0x0102", 7, "c01"],
  ["c08", "s2", ["m3"], "99999999999999999999999", 5, true, "shift end", "0x0203", 8, null],
].map(
  ([id, site, machines, energy, readingCount, current, note, root, sequence, supersedes]) =>
    ({
      id,
      site,
      machines,
      energy,
      readingCount,
      current,
      note,
      root,
      sequence,
      supersedes,
    }) as ContainerFixture,
);

describe("QueryEngine over versioned entity rows", () => {
  let fixture: FixtureStore;
  let engine: QueryEngine;
  const q = (query: string, variables?: Record<string, unknown>): QueryResponse =>
    engine.execute({ query, variables: variables ?? null });

  before(() => {
    fixture = createFixtureStore(TEST_SCHEMA, { deployment: "QmTestDeployment", startBlock: 1 });
    const site = (name: string, owner: string, kind: string, tags: string[]) => ({
      name,
      owner,
      kind,
      tags,
    });
    fixture.set("Site", "s1", site("North", "0xabcd01", "grid", ["a", "b"]), 1);
    fixture.set("Site", "s2", site("South", "0x01abcd", "solar", ["b"]), 1);
    fixture.set("Site", "s3", site("West", "0x00", "grid", []), 1);
    fixture.set("Manager", "g1", { site: "s1", name: "Ada" }, 1);
    fixture.set("Machine", "m1", { site: "s1", name: "press", ratedKilowatts: "1.5" }, 1);
    fixture.set("Machine", "m2", { site: "s1", name: "oven", ratedKilowatts: null }, 1);
    fixture.set("Machine", "m3", { site: "s2", name: "mill", ratedKilowatts: "10.25" }, 1);
    for (const { id, ...rest } of CONTAINERS) fixture.set("Container", id, rest, 2);
    // Block 5: a rename, an update and a removal; block 6: nothing changes.
    fixture.set("Site", "s1", site("North Works", "0xabcd01", "grid", ["a", "b"]), 5);
    const c04 = CONTAINERS.find((c) => c.id === "c04");
    assert.ok(c04);
    const { id: _id, ...c04Rest } = c04;
    fixture.set("Container", "c04", { ...c04Rest, energy: "11", current: true }, 5);
    fixture.remove("Container", "c03", 5);
    fixture.advanceTo(6);
    engine = engineFor(fixture);
  });

  after(() => {
    fixture.close();
  });

  describe("collections", () => {
    it("orders by id by default and pages with first and skip", () => {
      assert.deepEqual(ids(q("{ containers { id } }"), "containers"), [
        "c01",
        "c02",
        "c04",
        "c05",
        "c06",
        "c07",
        "c08",
      ]);
      assert.deepEqual(ids(q("{ containers(first: 2, skip: 3) { id } }"), "containers"), [
        "c05",
        "c06",
      ]);
      assert.deepEqual(ids(q("{ containers(first: 0) { id } }"), "containers"), []);
      assert.deepEqual(ids(q("{ containers(skip: 50) { id } }"), "containers"), []);
      assert.deepEqual(
        ids(q("{ containers(first: 2, orderDirection: desc) { id } }"), "containers"),
        ["c08", "c07"],
      );
    });

    it("orders BigInt strings numerically, negatives and 23-digit values included", () => {
      const asc = q("{ containers(orderBy: energy) { id energy } }");
      const energies = (data(asc).containers as { energy: string }[]).map((c) => c.energy);
      assert.deepEqual(energies, ["-100", "-7", "0", "5", "10", "11", "99999999999999999999999"]);
      const desc = q("{ containers(orderBy: energy, orderDirection: desc, first: 3) { energy } }");
      assert.deepEqual(
        (data(desc).containers as { energy: string }[]).map((c) => c.energy),
        ["99999999999999999999999", "11", "10"],
      );
    });

    it("orders Int, String and Bytes fields, with nulls last ascending and first descending", () => {
      assert.deepEqual(
        ids(q("{ containers(orderBy: readingCount, orderDirection: desc) { id } }"), "containers"),
        ["c06", "c04", "c08", "c07", "c01", "c05", "c02"],
      );
      assert.deepEqual(ids(q("{ containers(orderBy: note) { id } }"), "containers"), [
        "c06",
        "c01",
        "c05",
        "c08",
        "c04",
        "c02",
        "c07",
      ]);
      assert.deepEqual(
        ids(
          q("{ containers(orderBy: note, orderDirection: desc, first: 3) { id } }"),
          "containers",
        ),
        ["c07", "c02", "c04"],
      );
      assert.deepEqual(ids(q("{ containers(orderBy: root, first: 2) { id } }"), "containers"), [
        "c05",
        "c07",
      ]);
    });

    it("orders by a referenced entity's field (field__child)", () => {
      const response = q("{ containers(orderBy: site__name, orderDirection: desc) { id } }");
      assert.deepEqual(ids(response, "containers"), [
        "c06",
        "c08",
        "c04",
        "c07",
        "c05",
        "c02",
        "c01",
      ]);
    });

    it("answers a single entity by id, and null for an unknown id", () => {
      const response = q('{ container(id: "c07") { id energy sequence root supersedes { id } } }');
      assert.deepEqual(data(response).container, {
        id: "c07",
        energy: "10",
        sequence: "7",
        root: "0x0102",
        supersedes: { id: "c01" },
      });
      assert.deepEqual(data(q('{ container(id: "nope") { id } }')).container, null);
    });
  });

  describe("where filters", () => {
    const cases: [string, string, string[]][] = [
      ["equality on a reference id", '{ site: "s2" }', ["c04", "c08"]],
      ["_not", '{ site_not: "s1" }', ["c04", "c06", "c08"]],
      ["_in", '{ id_in: ["c02", "c08", "zz"] }', ["c02", "c08"]],
      ["_in with an empty list", "{ id_in: [] }", []],
      ["_not_in", '{ site_not_in: ["s1", "s2"] }', ["c06"]],
      [
        "BigInt _gt across lengths and signs",
        '{ energy_gt: "-8" }',
        ["c01", "c02", "c04", "c06", "c07", "c08"],
      ],
      ["BigInt _gte", '{ energy_gte: "10" }', ["c04", "c07", "c08"]],
      ["BigInt _lt", '{ energy_lt: "0" }', ["c02", "c05"]],
      [
        "BigInt _lte with a 23-digit value",
        '{ energy_lte: "99999999999999999999998" }',
        ["c01", "c02", "c04", "c05", "c06", "c07"],
      ],
      ["BigInt as an Int literal", "{ energy: 5 }", ["c01"]],
      [
        "Int _gte and _lt together",
        "{ readingCount_gte: 4, readingCount_lt: 9 }",
        ["c04", "c07", "c08"],
      ],
      ["Boolean", "{ current: false }", []],
      ["String _contains (case-sensitive)", '{ note_contains: "first" }', ["c01"]],
      ["String _contains_nocase", '{ note_contains_nocase: "FIRST" }', ["c01", "c06"]],
      [
        "String _not_contains leaves out nulls",
        '{ note_not_contains: "s" }',
        ["c04", "c05", "c06"],
      ],
      ["String _starts_with", '{ note_starts_with: "shift" }', ["c08"]],
      ["String _starts_with_nocase", '{ note_starts_with_nocase: "SHIFT" }', ["c08"]],
      ["String _ends_with", '{ note_ends_with: "end" }', ["c08"]],
      ["String _not_ends_with", '{ note_not_ends_with: "t" }', ["c01", "c04", "c08"]],
      ["String _gt", '{ note_gt: "s" }', ["c04", "c08"]],
      ["null equality", "{ note: null }", ["c02", "c07"]],
      ["null _not", "{ note_not: null, readingCount_lt: 3 }", ["c05"]],
      ["Bytes equality is case-insensitive on input", '{ root: "0xAABBCC" }', ["c01"]],
      ["Bytes _contains at a byte boundary", '{ root_contains: "0xbbcc" }', ["c01"]],
      // c01 (0xaabbcc) holds "abbc" only from its second nibble; c02 (0x0aabbc) holds bytes ab bc.
      ["Bytes _contains matches whole bytes only", '{ root_contains: "0xabbc" }', ["c02"]],
      ["Int8 _gt", "{ sequence_gt: 6 }", ["c07", "c08"]],
      ["list _contains (all of)", '{ machines_contains: ["m1", "m2"] }', ["c02"]],
      [
        "list _not_contains",
        '{ machines_not_contains: ["m3"] }',
        ["c01", "c02", "c05", "c06", "c07"],
      ],
      ["list equality", "{ machines: [] }", ["c05", "c06"]],
      [
        "child filter on a single reference",
        '{ site_: { name_starts_with: "North" } }',
        ["c01", "c02", "c05", "c07"],
      ],
      ["child filter on a list reference (any)", '{ machines_: { name: "oven" } }', ["c02", "c07"]],
      ["child filter on a self reference", '{ supersedes_: { energy: "5" } }', ["c07"]],
      ["or", '{ or: [{ site: "s3" }, { energy_gt: "10" }] }', ["c04", "c06", "c08"]],
      ["and", '{ and: [{ site: "s1" }, { readingCount_gt: 2 }] }', ["c01", "c07"]],
      [
        "or with other keys (all must hold)",
        '{ site: "s1", or: [{ energy: "5" }, { energy: "10" }] }',
        ["c01", "c07"],
      ],
      ["_change_block", "{ _change_block: { number_gte: 5 } }", ["c04"]],
    ];
    for (const [name, where, expected] of cases) {
      it(name, () => {
        assert.deepEqual(ids(q(`{ containers(where: ${where}) { id } }`), "containers"), expected);
      });
    }

    it("answers a child filter on a reference resolved to ids as one SQL subquery answers it", () => {
      // `site_: {...}` alone is resolved to the matching sites' ids first (entityReader); inside
      // `and` it stays one `IN (SELECT …)`. Both must select the same rows, at any block.
      for (const [child, block] of [
        ['name_starts_with: "North"', ""],
        ['name: "Nowhere"', ""],
        ["kind: grid", ""],
        ['name_starts_with: "North"', ", block: { number: 2 }"],
      ] as const) {
        const resolved = q(`{ containers(where: { site_: { ${child} } }${block}) { id } }`);
        const subquery = q(
          `{ containers(where: { site_: { and: [{ ${child} }] } }${block}) { id } }`,
        );
        assert.equal(resolved.errors, undefined);
        assert.deepEqual(resolved, subquery);
      }
    });

    it("filters on derived fields through child filters", () => {
      assert.deepEqual(
        ids(q('{ sites(where: { containers_: { energy_gt: "10" } }) { id } }'), "sites"),
        ["s2"],
      );
      assert.deepEqual(ids(q('{ sites(where: { manager_: { name: "Ada" } }) { id } }'), "sites"), [
        "s1",
      ]);
    });

    it("filters on enums and scalar lists", () => {
      assert.deepEqual(ids(q("{ sites(where: { kind: grid }) { id } }"), "sites"), ["s1", "s3"]);
      assert.deepEqual(ids(q('{ sites(where: { tags_contains: ["b"] }) { id } }'), "sites"), [
        "s1",
        "s2",
      ]);
      assert.deepEqual(
        ids(q('{ sites(where: { tags_contains_nocase: ["A"] }) { id } }'), "sites"),
        ["s1"],
      );
    });

    it("filters BigDecimal fields numerically", () => {
      assert.deepEqual(
        ids(q('{ machines(where: { ratedKilowatts_gt: "2" }) { id } }'), "machines"),
        ["m3"],
      );
      assert.deepEqual(
        ids(q('{ machines(where: { ratedKilowatts: "1.50" }) { id } }'), "machines"),
        ["m1"],
      );
    });

    it("takes filter values from variables", () => {
      const response = q(
        "query($site: String!, $min: BigInt) { containers(where: { site: $site, energy_gte: $min }) { id } }",
        { site: "s1", min: "0" },
      );
      assert.deepEqual(ids(response, "containers"), ["c01", "c07"]);
    });
  });

  describe("nested fields", () => {
    it("resolves derived lists by reverse lookup, with their own collection arguments", () => {
      const response = q(`{
        site(id: "s1") {
          machines { id }
          containers(first: 2, orderBy: energy, orderDirection: desc, where: { current: true }) { id energy }
          manager { name }
        }
      }`);
      assert.deepEqual(data(response).site, {
        machines: [{ id: "m1" }, { id: "m2" }],
        containers: [
          { id: "c07", energy: "10" },
          { id: "c01", energy: "5" },
        ],
        manager: { name: "Ada" },
      });
    });

    it("resolves stored lists of references and filters them", () => {
      const response = q(`{
        container(id: "c02") {
          machines { id name }
          pressOnly: machines(where: { name: "press" }) { id }
          site { name machines(orderBy: name) { name } }
        }
      }`);
      assert.deepEqual(data(response).container, {
        machines: [
          { id: "m1", name: "press" },
          { id: "m2", name: "oven" },
        ],
        pressOnly: [{ id: "m1" }],
        site: { name: "North Works", machines: [{ name: "oven" }, { name: "press" }] },
      });
    });

    it("reports a derived single field with two matches as graph-node does", () => {
      fixture.set("Manager", "g2", { site: "s1", name: "Grace" }, 6);
      try {
        const response = q('{ site(id: "s1") { manager { name } } }');
        assert.deepEqual(errorMessages(response), [
          "Ambiguous result for derived field `manager`: Multiple `Manager` entities refer back via `site`",
        ]);
      } finally {
        fixture.remove("Manager", "g2", 6);
      }
    });
  });

  describe("time travel", () => {
    it("reads the versions visible at block { number }", () => {
      const before = q(
        '{ site(id: "s1", block: { number: 4 }) { name containers { id energy } } }',
      );
      assert.deepEqual(data(before).site, {
        name: "North",
        containers: [
          { id: "c01", energy: "5" },
          { id: "c02", energy: "-7" },
          { id: "c05", energy: "-100" },
          { id: "c07", energy: "10" },
        ],
      });
      const removed = q(
        '{ c03: container(id: "c03", block: { number: 4 }) { id } now: container(id: "c03") { id } }',
      );
      assert.deepEqual(data(removed), { c03: { id: "c03" }, now: null });
      const updated = q('{ containers(block: { number: 2 }, where: { energy_gt: "10" }) { id } }');
      assert.deepEqual(ids(updated, "containers"), ["c03", "c08"]);
      assert.deepEqual(ids(q("{ sites(block: { number: 1 }) { id } }"), "sites"), [
        "s1",
        "s2",
        "s3",
      ]);
      assert.deepEqual(ids(q("{ containers(block: { number: 1 }) { id } }"), "containers"), []);
    });

    it("reads at block { hash }", () => {
      const response = q(`{ site(id: "s1", block: { hash: "${fixtureBlockHash(3)}" }) { name } }`);
      assert.deepEqual(data(response).site, { name: "North" });
    });

    it("rejects a block past the head, an unknown hash and an unreached number_gte", () => {
      assert.deepEqual(errorMessages(q("{ sites(block: { number: 7 }) { id } }")), [
        "Failed to decode `block.number` value: `subgraph QmTestDeployment has only indexed up to block number 6 and data for block number 7 is therefore not yet available`",
      ]);
      assert.deepEqual(
        errorMessages(q(`{ sites(block: { hash: "${fixtureBlockHash(3, 9)}" }) { id } }`)),
        ["Failed to decode `block.hash` value: `no block with that hash found`"],
      );
      assert.deepEqual(errorMessages(q("{ sites(block: { number_gte: 9 }) { id } }")), [
        "Failed to decode `block.number_gte` value: `subgraph QmTestDeployment has only indexed up to block number 6 and data for block number 9 is therefore not yet available`",
      ]);
      assert.deepEqual(ids(q("{ sites(block: { number_gte: 6 }) { id } }"), "sites"), [
        "s1",
        "s2",
        "s3",
      ]);
    });
  });

  describe("_meta", () => {
    it("reports the head block, the deployment and no indexing errors", () => {
      const response = q(
        "{ _meta { block { number hash parentHash timestamp } deployment hasIndexingErrors } }",
      );
      assert.deepEqual(data(response)._meta, {
        block: {
          number: 6,
          hash: fixtureBlockHash(6),
          parentHash: fixtureBlockHash(5),
          timestamp: fixtureBlockTimestamp(6),
        },
        deployment: "QmTestDeployment",
        hasIndexingErrors: false,
      });
    });

    it("gives no hash for a block asked by number, as graph-node does", () => {
      const response = q("{ _meta(block: { number: 3 }) { block { number hash } } }");
      assert.deepEqual(data(response)._meta, { block: { number: 3, hash: null } });
    });
  });

  describe("bad input", () => {
    it("answers a malformed query with a located syntax error and no data", () => {
      const response = q("{ containers(first: 2 { id } }");
      assert.equal(response.data, undefined);
      assert.equal(response.errors?.length, 1);
      const [error] = response.errors ?? [];
      assert.match(error?.message ?? "", /^Syntax Error/);
      assert.deepEqual(error?.locations, [{ line: 1, column: 23 }]);
    });

    it("answers an unknown field or argument with validation errors", () => {
      const response = q("{ containers { id colour } }");
      assert.deepEqual(json(response), {
        errors: [
          {
            message: 'Cannot query field "colour" on type "Container".',
            locations: [{ line: 1, column: 19 }],
          },
        ],
      });
      assert.match(
        errorMessages(q('{ containers(where: { colour: "red" }) { id } }'))[0] ?? "",
        /colour/,
      );
      assert.match(errorMessages(q("{ containers(orderBy: colour) { id } }"))[0] ?? "", /colour/);
    });

    it("enforces graph-node's first and skip limits", () => {
      assert.deepEqual(errorMessages(q("{ containers(first: 1001) { id } }")), [
        "The `first` argument must be between 0 and 1000, but is 1001",
      ]);
      assert.deepEqual(errorMessages(q("{ containers(first: -1) { id } }")), [
        "The `first` argument must be between 0 and 1000, but is -1",
      ]);
      assert.deepEqual(errorMessages(q("{ containers(skip: 5001) { id } }")), [
        "The `skip` argument must be between 0 and 5000, but is 5001",
      ]);
      assert.deepEqual(errorMessages(q('{ site(id: "s1") { containers(first: 5000) { id } } }')), [
        "The `first` argument must be between 0 and 1000, but is 5000",
      ]);
      assert.deepEqual(ids(q("{ containers(first: 1000, skip: 5000) { id } }"), "containers"), []);
    });

    it("rejects values that do not decode as their scalar", () => {
      assert.match(
        errorMessages(q('{ containers(where: { energy: "12x" }) { id } }'))[0] ?? "",
        /BigInt/,
      );
      assert.match(
        errorMessages(q('{ containers(where: { root: "0xabc" }) { id } }'))[0] ?? "",
        /Bytes/,
      );
      assert.match(
        errorMessages(
          q("query($v: BigInt) { containers(where: { energy: $v }) { id } }", { v: "1.5" }),
        )[0] ?? "",
        /\$v/,
      );
    });

    it("refuses child filters nested in child filters", () => {
      assert.deepEqual(
        errorMessages(q('{ containers(where: { site_: { containers_: { id: "c01" } } }) { id } }')),
        ['Child filter nesting not supported by value `{"containers_":{"id":"c01"}}`: `site_`'],
      );
    });

    it("refuses ordering by list and derived fields", () => {
      assert.deepEqual(errorMessages(q("{ containers(orderBy: machines) { id } }")), [
        "Ordering by `machines` is not supported for type `Container`",
      ]);
      assert.deepEqual(errorMessages(q("{ sites(orderBy: containers) { id } }")), [
        "Ordering by `containers` is not supported for type `Site`",
      ]);
    });

    it("leaves the store unchanged", () => {
      const count = (
        fixture.store.db.prepare('SELECT count(*) AS n FROM "Container"').get() as { n: number }
      ).n;
      q("{ containers(first: 1001) { id } }");
      q('{ containers(where: { note_contains: "\'); DROP TABLE \\"Container\\"; --" }) { id } }');
      const after = (
        fixture.store.db.prepare('SELECT count(*) AS n FROM "Container"').get() as { n: number }
      ).n;
      assert.equal(after, count);
    });
  });
});

describe("QueryEngine on a failed deployment", () => {
  let fixture: FixtureStore;
  let engine: QueryEngine;

  before(() => {
    fixture = createFixtureStore(TEST_SCHEMA, { deployment: "QmFailed" });
    fixture.set("Site", "s1", { name: "North", owner: "0x01", kind: "grid", tags: [] }, 1);
    fixture.advanceTo(4);
    fixture.fail(5, "Mapping aborted at dataContainers.ts, line 40", "handleContainersAnchored");
    engine = engineFor(fixture);
  });

  after(() => {
    fixture.close();
  });

  it("withholds entity data behind graph-node's indexing_error", () => {
    assert.deepEqual(json(engine.execute({ query: "{ sites { id } }" })), {
      errors: [{ message: "indexing_error" }],
    });
  });

  it("still answers _meta, with hasIndexingErrors true and the error", () => {
    assert.deepEqual(
      json(
        engine.execute({ query: "{ _meta { block { number } hasIndexingErrors } sites { id } }" }),
      ),
      {
        data: { _meta: { block: { number: 4 }, hasIndexingErrors: true } },
        errors: [{ message: "indexing_error" }],
      },
    );
  });

  it("returns the data with the error when asked with subgraphError: allow", () => {
    assert.deepEqual(json(engine.execute({ query: "{ sites(subgraphError: allow) { id } }" })), {
      data: { sites: [{ id: "s1" }] },
      errors: [{ message: "indexing_error" }],
    });
  });

  it("answers reads at blocks before the failure normally", () => {
    assert.deepEqual(json(engine.execute({ query: "{ sites(block: { number: 2 }) { id } }" })), {
      data: { sites: [{ id: "s1" }] },
    });
  });
});

describe("QueryEngine before the first indexed block", () => {
  it("answers with an error, not a crash", () => {
    const fixture = createFixtureStore(TEST_SCHEMA, { deployment: "QmEmpty" });
    try {
      const engine = engineFor(fixture);
      for (const query of ["{ _meta { block { number } } }", "{ sites { id } }"]) {
        assert.deepEqual(json(engine.execute({ query })), {
          errors: [{ message: "subgraph `QmEmpty` has not started syncing yet" }],
        });
      }
    } finally {
      fixture.close();
    }
  });
});

describe("BigInt order and comparisons (property)", () => {
  const NUMBER_SCHEMA = "type Num @entity { id: ID!, value: BigInt! }";
  const numbers = readEntitySchema(NUMBER_SCHEMA);
  const bigints = fc.oneof(
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
    fc.bigInt({ min: -1000n, max: 1000n }),
  );

  it("sorts and compares like BigInt for any values and thresholds", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(bigints, { minLength: 1, maxLength: 40 }),
        bigints,
        (values, threshold) => {
          const fixture = createFixtureStore(NUMBER_SCHEMA);
          try {
            values.forEach((v, i) => {
              fixture.set("Num", `n${String(i).padStart(3, "0")}`, { value: v.toString() }, 1);
            });
            fixture.advanceTo(1);
            const engine = new QueryEngine(fixture.store.db, numbers);
            const read = (query: string): bigint[] =>
              (data(engine.execute({ query })).nums as { value: string }[]).map((n) =>
                BigInt(n.value),
              );
            const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            assert.deepEqual(read("{ nums(first: 1000, orderBy: value) { value } }"), sorted);
            assert.deepEqual(
              read("{ nums(first: 1000, orderBy: value, orderDirection: desc) { value } }"),
              [...sorted].reverse(),
            );
            for (const [op, test] of [
              ["gt", (v: bigint) => v > threshold],
              ["gte", (v: bigint) => v >= threshold],
              ["lt", (v: bigint) => v < threshold],
              ["lte", (v: bigint) => v <= threshold],
            ] as const) {
              assert.deepEqual(
                read(
                  `{ nums(first: 1000, orderBy: value, where: { value_${op}: "${threshold}" }) { value } }`,
                ),
                sorted.filter(test),
                `value_${op} ${threshold}`,
              );
            }
          } finally {
            fixture.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
