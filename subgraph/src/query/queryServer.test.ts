import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { MAX_BODY_BYTES, startQueryServer, type QueryServer } from "./queryServer.ts";
import { createFixtureStore, fixtureBlockHash, type FixtureStore } from "./testing/fixtureStore.ts";
import { TEST_SCHEMA } from "./testing/testSchema.ts";

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with full control over headers (fetch always adds a content type to bodies). */
function raw(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text });
      });
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe("query server", () => {
  let fixture: FixtureStore;
  let server: QueryServer;
  let schemaDir: string;

  const post = (body: unknown, url = server.url) =>
    raw(url, "POST", { "Content-Type": "application/json" }, JSON.stringify(body));

  before(async () => {
    fixture = createFixtureStore(TEST_SCHEMA, { deployment: "QmServerTest" });
    fixture.set("Site", "s1", { name: "North", owner: "0x01", kind: "grid", tags: [] }, 1);
    fixture.set("Site", "s2", { name: "South", owner: "0x02", kind: "solar", tags: [] }, 2);
    fixture.advanceTo(3);
    schemaDir = mkdtempSync(path.join(tmpdir(), "ei-query-schema-"));
    const schemaFile = path.join(schemaDir, "schema.graphql");
    writeFileSync(schemaFile, TEST_SCHEMA);
    server = await startQueryServer({
      storeFile: fixture.file,
      schemaFile,
      name: "energy-intelligence/test",
    });
  });

  after(async () => {
    await server.close();
    fixture.close();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  it("serves /subgraphs/name/<name> on loopback", () => {
    assert.match(
      server.url,
      /^http:\/\/127\.0\.0\.1:\d+\/subgraphs\/name\/energy-intelligence\/test$/,
    );
  });

  it("answers a POSTed query with { data }, 200 and CORS headers", async () => {
    const response = await post({ query: "{ sites(orderBy: name) { id name } }" });
    assert.equal(response.status, 200);
    assert.equal(response.headers["access-control-allow-origin"], "*");
    assert.match(String(response.headers["content-type"]), /^application\/json/);
    assert.deepEqual(JSON.parse(response.body), {
      data: {
        sites: [
          { id: "s1", name: "North" },
          { id: "s2", name: "South" },
        ],
      },
    });
  });

  it("takes variables and operationName", async () => {
    const response = await post({
      query: "query A($id: ID!) { site(id: $id) { name } } query B { sites { id } }",
      variables: { id: "s2" },
      operationName: "A",
    });
    assert.deepEqual(JSON.parse(response.body), { data: { site: { name: "South" } } });
  });

  it("answers GET with ?query= and ?variables=", async () => {
    const url = new URL(server.url);
    url.searchParams.set("query", "query($n: Int) { sites(block: { number: $n }) { id } }");
    url.searchParams.set("variables", JSON.stringify({ n: 1 }));
    const response = await raw(url.href, "GET");
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), { data: { sites: [{ id: "s1" }] } });
  });

  it("answers GET without a query with a hint, not a GraphiQL page", async () => {
    const response = await raw(server.url, "GET");
    assert.equal(response.status, 200);
    assert.match(
      (JSON.parse(response.body) as { message: string }).message,
      /POST a GraphQL query/,
    );
  });

  it("answers the CORS preflight", async () => {
    const response = await raw(server.url, "OPTIONS", {
      Origin: "http://localhost:3000",
      "Access-Control-Request-Method": "POST",
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers["access-control-allow-origin"], "*");
    assert.equal(response.headers["access-control-allow-methods"], "GET, OPTIONS, POST");
    assert.equal(response.headers["access-control-allow-headers"], "Content-Type, User-Agent");
  });

  describe("bad requests (graph-node's 400 bodies)", () => {
    const cases: [string, () => Promise<RawResponse>, string][] = [
      [
        "no Content-Type",
        () => raw(server.url, "POST", {}, '{"query":"{ sites { id } }"}'),
        "Content-Type header is required",
      ],
      [
        "an empty body",
        () => raw(server.url, "POST", { "Content-Type": "application/json" }, ""),
        "Body is required",
      ],
      ["a body that is not an object", () => post([1, 2]), "Request data is not an object"],
      [
        "no query field",
        () => post({ variables: {} }),
        'The "query" field is missing in request data',
      ],
      [
        "a query that is not a string",
        () => post({ query: 5 }),
        'The "query" field is not a string',
      ],
      [
        "variables that are not an object",
        () => post({ query: "{ sites { id } }", variables: 5 }),
        "Invalid query variables provided",
      ],
      [
        "a mutation over GET",
        () => raw(`${server.url}?query=${encodeURIComponent("mutation { x }")}`, "GET"),
        "Can't use mutations with GET method",
      ],
    ];
    for (const [name, send, message] of cases) {
      it(name, async () => {
        const response = await send();
        assert.equal(response.status, 400);
        assert.equal(response.headers["access-control-allow-origin"], "*");
        assert.deepEqual(JSON.parse(response.body), { error: message });
      });
    }

    it("malformed JSON", async () => {
      const response = await raw(
        server.url,
        "POST",
        { "Content-Type": "application/json" },
        "{nope",
      );
      assert.equal(response.status, 400);
      assert.equal(typeof (JSON.parse(response.body) as { error: unknown }).error, "string");
    });

    it("a body over the limit gets 413", async () => {
      const big = JSON.stringify({ query: `{ sites { id } } #${"x".repeat(MAX_BODY_BYTES)}` });
      const response = await raw(server.url, "POST", { "Content-Type": "application/json" }, big);
      assert.equal(response.status, 413);
    });
  });

  describe("query errors (200 with { errors })", () => {
    it("a malformed query", async () => {
      const response = await post({ query: "{ sites { id }" });
      assert.equal(response.status, 200);
      const body = JSON.parse(response.body) as {
        data?: unknown;
        errors: { message: string; locations: unknown }[];
      };
      assert.equal(body.data, undefined);
      assert.match(body.errors[0]?.message ?? "", /^Syntax Error/);
      assert.deepEqual(body.errors[0]?.locations, [{ line: 1, column: 15 }]);
    });

    it("an unknown field", async () => {
      const response = await post({ query: "{ sites { id colour } }" });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(response.body), {
        errors: [
          {
            message: 'Cannot query field "colour" on type "Site".',
            locations: [{ line: 1, column: 14 }],
          },
        ],
      });
    });

    it("first over the limit", async () => {
      const response = await post({ query: "{ sites(first: 1001) { id } }" });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(response.body), {
        errors: [{ message: "The `first` argument must be between 0 and 1000, but is 1001" }],
      });
    });

    it("another subgraph name", async () => {
      const response = await post(
        { query: "{ sites { id } }" },
        server.url.replace(/test$/, "other"),
      );
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(response.body), {
        errors: [{ message: "deployment `energy-intelligence/other` does not exist" }],
      });
    });

    it("an invalid subgraph name", async () => {
      const response = await post(
        { query: "{ sites { id } }" },
        server.url.replace(/test$/, "te$t"),
      );
      assert.equal(response.status, 400);
    });
  });

  it("answers 'Not found' elsewhere, like graph-node", async () => {
    const response = await raw(
      server.url.replace(/\/subgraphs.*/, "/subgraphs"),
      "POST",
      {
        "Content-Type": "application/json",
      },
      "{}",
    );
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), { message: "Not found" });
  });

  it("keeps serving after every bad request above", async () => {
    const response = await post({ query: "{ _meta { block { number } deployment } }" });
    assert.deepEqual(JSON.parse(response.body), {
      data: { _meta: { block: { number: 3 }, deployment: "QmServerTest" } },
    });
  });

  it("sees what the indexer commits after it started", async () => {
    fixture.set("Site", "s3", { name: "West", owner: "0x03", kind: "grid", tags: [] }, 4);
    fixture.advanceTo(4);
    const response = await post({ query: "{ sites { id } _meta { block { number } } }" });
    assert.deepEqual(JSON.parse(response.body), {
      data: { sites: [{ id: "s1" }, { id: "s2" }, { id: "s3" }], _meta: { block: { number: 4 } } },
    });
    // A version rewritten in place (its own block) is read afresh, not from what was parsed before.
    const named = async () =>
      JSON.parse((await post({ query: '{ site(id: "s3") { name } }' })).body) as unknown;
    assert.deepEqual(await named(), { data: { site: { name: "West" } } });
    fixture.set("Site", "s3", { name: "West 2", owner: "0x03", kind: "grid", tags: [] }, 4);
    assert.deepEqual(await named(), { data: { site: { name: "West 2" } } });
  });
});

describe("startQueryServer options", () => {
  it("refuses both or neither of storeFile and db, and a bad name", async () => {
    await assert.rejects(startQueryServer({ schemaFile: "x", name: "a/b" }), /storeFile and db/);
    await assert.rejects(
      startQueryServer({ storeFile: "f", schemaFile: "x", name: "not a name" }),
      /subgraph name/,
    );
  });

  it("serves a store shared in-process (the indexer's own connection)", async () => {
    const fixture = createFixtureStore(TEST_SCHEMA);
    const dir = mkdtempSync(path.join(tmpdir(), "ei-query-schema-"));
    const schemaFile = path.join(dir, "schema.graphql");
    writeFileSync(schemaFile, TEST_SCHEMA);
    fixture.set("Site", "s1", { name: "North", owner: "0x01", kind: "grid", tags: [] }, 1);
    fixture.advanceTo(1);
    const server = await startQueryServer({ db: fixture.store.db, schemaFile, name: "local" });
    try {
      const response = await raw(
        server.url,
        "POST",
        { "Content-Type": "application/json" },
        JSON.stringify({ query: "{ sites { name } }" }),
      );
      assert.deepEqual(JSON.parse(response.body), { data: { sites: [{ name: "North" }] } });
    } finally {
      await server.close();
      fixture.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("index-node status API at /graphql (graph-node's port 8030 API)", () => {
  let fixture: FixtureStore;
  let server: QueryServer;
  let schemaDir: string;
  const status = (body: unknown) =>
    raw(server.statusUrl, "POST", { "Content-Type": "application/json" }, JSON.stringify(body));
  const FIELDS = `subgraph synced health entityCount node paused historyBlocks
    fatalError { message block { number hash } handler deterministic }
    nonFatalErrors { message }
    chains { network chainHeadBlock { number hash } earliestBlock { number hash }
      latestBlock { number hash } lastHealthyBlock { number } }`;

  before(async () => {
    fixture = createFixtureStore(TEST_SCHEMA, { deployment: "QmStatusTest", startBlock: 1 });
    fixture.set("Site", "s1", { name: "North", owner: "0x01", kind: "grid", tags: [] }, 1);
    fixture.set("Site", "s2", { name: "South", owner: "0x02", kind: "solar", tags: [] }, 2);
    fixture.remove("Site", "s2", 3);
    fixture.advanceTo(5);
    fixture.store.setMeta("network", "hardhat");
    fixture.store.setMeta("synced", "true");
    schemaDir = mkdtempSync(path.join(tmpdir(), "ei-status-schema-"));
    const schemaFile = path.join(schemaDir, "schema.graphql");
    writeFileSync(schemaFile, TEST_SCHEMA);
    server = await startQueryServer({
      db: fixture.store.db,
      schemaFile,
      name: "energy-intelligence/test",
      chainHead: () => Promise.resolve({ number: 9, hash: fixtureBlockHash(9) }),
    });
  });

  after(async () => {
    await server.close();
    fixture.close();
    rmSync(schemaDir, { recursive: true, force: true });
  });

  it("reports a healthy deployment in graph-node's shapes", async () => {
    assert.match(server.statusUrl, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const response = await status({ query: `{ indexingStatuses { ${FIELDS} } }` });
    assert.equal(response.status, 200);
    assert.equal(response.headers["access-control-allow-origin"], "*");
    assert.deepEqual(JSON.parse(response.body), {
      data: {
        indexingStatuses: [
          {
            subgraph: "QmStatusTest",
            synced: true,
            health: "healthy",
            // Current entities only: s2 was removed at block 3.
            entityCount: "1",
            node: "default",
            paused: false,
            historyBlocks: 2147483647,
            fatalError: null,
            nonFatalErrors: [],
            chains: [
              {
                network: "hardhat",
                // graph-node writes these block numbers as strings, the earliest block's as a number.
                chainHeadBlock: { number: "9", hash: fixtureBlockHash(9) },
                earliestBlock: { number: 1, hash: "0x0" },
                latestBlock: { number: "5", hash: fixtureBlockHash(5) },
                lastHealthyBlock: null,
              },
            ],
          },
        ],
      },
    });
  });

  it("finds the deployment by subgraph name and by deployment id, and nothing else", async () => {
    const response = await status({
      query: `query($name: String!) {
        current: indexingStatusForCurrentVersion(subgraphName: $name) { subgraph health }
        other: indexingStatusForCurrentVersion(subgraphName: "someone/else") { subgraph }
        pending: indexingStatusForPendingVersion(subgraphName: $name) { subgraph }
        all: indexingStatusesForSubgraphName(subgraphName: $name) { subgraph }
        none: indexingStatusesForSubgraphName(subgraphName: "someone/else") { subgraph }
        byId: indexingStatuses(subgraphs: ["QmStatusTest"]) { subgraph }
        notById: indexingStatuses(subgraphs: ["QmOther"]) { subgraph }
        chains: indexingStatuses { chains { __typename ... on EthereumIndexingStatus { network } } }
      }`,
      variables: { name: "energy-intelligence/test" },
    });
    assert.deepEqual(JSON.parse(response.body), {
      data: {
        current: { subgraph: "QmStatusTest", health: "healthy" },
        other: null,
        pending: null,
        all: [{ subgraph: "QmStatusTest" }],
        none: [],
        byId: [{ subgraph: "QmStatusTest" }],
        notById: [],
        chains: [{ chains: [{ __typename: "EthereumIndexingStatus", network: "hardhat" }] }],
      },
    });
  });

  describe("bad requests get graph-node's index-node answers", () => {
    const cases: [string, string, number, string][] = [
      ["invalid JSON", "{", 400, "Invalid request: GraphQL server error (client error): "],
      [
        "not an object",
        "[1]",
        400,
        "Invalid request: GraphQL server error (client error): ValidatedRequest data is not an object",
      ],
      [
        "no query",
        "{}",
        400,
        'Invalid request: GraphQL server error (client error): The "query" field is missing in request data',
      ],
      [
        "variables not an object",
        '{"query":"{ indexingStatuses { health } }","variables":5}',
        400,
        "Invalid request: GraphQL server error (client error): Invalid query variables provided",
      ],
      [
        "a query that does not parse",
        '{"query":"{ indexingStatuses { "}',
        400,
        "Query error: GraphQL server error (query error): Syntax Error",
      ],
    ];
    for (const [name, body, code, prefix] of cases) {
      it(name, async () => {
        const response = await raw(
          server.statusUrl,
          "POST",
          { "Content-Type": "application/json" },
          body,
        );
        assert.equal(response.status, code);
        assert.match(String(response.headers["content-type"]), /^text\/plain/);
        assert.ok(response.body.startsWith(prefix), response.body);
      });
    }

    it("an unknown field: 200 with located errors, no data", async () => {
      const response = await status({ query: "{ indexingStatuses { subgraph proofOfWork } }" });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(response.body), {
        errors: [
          {
            message: 'Cannot query field "proofOfWork" on type "SubgraphIndexingStatus".',
            locations: [{ line: 1, column: 31 }],
          },
        ],
      });
    });

    it("a missing argument, the preflight and another method", async () => {
      const missing = await status({ query: "{ indexingStatusForCurrentVersion { subgraph } }" });
      assert.equal((JSON.parse(missing.body) as { errors: unknown[] }).errors.length, 1);
      assert.equal((await raw(server.statusUrl, "OPTIONS")).status, 200);
      const put = await raw(server.statusUrl, "PUT");
      assert.deepEqual([put.status, put.body], [404, "Not found\n"]);
    });
  });

  it("reports a failed deployment with the block, handler and message", async () => {
    fixture.fail(4, "Mapping aborted at helpers.ts, line 12: site not found", "handleJobStarted");
    const response = await status({
      query: `{ indexingStatusForCurrentVersion(subgraphName: "energy-intelligence/test") {
        health fatalError { message block { number hash } handler deterministic } nonFatalErrors { message }
      } }`,
    });
    assert.deepEqual(JSON.parse(response.body), {
      data: {
        indexingStatusForCurrentVersion: {
          health: "failed",
          fatalError: {
            message: "Mapping aborted at helpers.ts, line 12: site not found",
            block: { number: 4, hash: fixtureBlockHash(4) },
            handler: "handleJobStarted",
            deterministic: true,
          },
          nonFatalErrors: [],
        },
      },
    });
  });
});
