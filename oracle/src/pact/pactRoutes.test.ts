import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import Fastify, { type FastifyInstance } from "fastify";
import { pino } from "pino";
import {
  productFootprintFromLot,
  productFootprintSchema,
} from "@energy-intelligence/sdk/pact/index";
import {
  buildPactTestLot,
  pactTestParameters,
} from "../../../sdk/src/pact/pactFixture.testHelper.ts";
import { ensurePactTables } from "./openPactStore.ts";
import { PactClientsRepository } from "./pactClientsRepository.ts";
import { PACT_EVENT_TYPES } from "./pactEventSchema.ts";
import { PactFootprintsRepository, parseStoredFootprint } from "./pactFootprintsRepository.ts";
import { pactRoutes } from "./pactRoutes.ts";

const db = new BetterSqlite3(":memory:");
ensurePactTables(db);
const clients = new PactClientsRepository(db);
const footprints = new PactFootprintsRepository(db);
let clock = Date.UTC(2026, 10, 2, 12);
let app: FastifyInstance;
const buyer = clients.create("Buyer AG", clock);

// Three lots of the scenario, told apart by lot id, country and product id.
const lot = buildPactTestLot();
const published = [0n, 1n, 2n].map((n) => {
  const parameters = pactTestParameters(lot.document, lot.lotId + n, lot.cid);
  const pf = productFootprintFromLot({
    ...parameters,
    lot: { ...parameters.lot, mintedAtMs: parameters.lot.mintedAtMs + Number(n) * 1000 },
    geography: { country: n === 2n ? "FR" : "DE" },
    product: { ...parameters.product, ids: [`urn:gtin:400000000000${n}`] },
  });
  footprints.publish(lot.lotId + n, pf);
  return pf;
});
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function token(): Promise<string> {
  const response = await app.inject({
    method: "POST",
    url: "/auth/token",
    headers: { ...FORM, authorization: basic(buyer.clientId, buyer.clientSecret) },
    payload: "grant_type=client_credentials",
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ access_token: string }>().access_token;
}
const get = async (url: string, bearer?: string) =>
  app.inject({
    method: "GET",
    url,
    headers: {
      host: "pact.example:8443",
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
    },
  });
const count = (table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

before(async () => {
  app = Fastify();
  await app.register((scope, _options, done) => {
    pactRoutes(scope, { clients, footprints, db, now: () => clock, tokenLifetimeMs: 60_000 });
    done();
  });
  await app.ready();
});
after(async () => {
  await app.close();
  db.close();
});

describe("PACT v3 Authenticate (/auth/token)", () => {
  it("issues a bearer token with expiry for client credentials (Basic auth, form body)", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/auth/token",
      headers: { ...FORM, authorization: basic(buyer.clientId, buyer.clientSecret) },
      payload: "grant_type=client_credentials",
    });
    assert.equal(response.statusCode, 200);
    const body = response.json<Record<string, unknown>>();
    assert.equal(body.token_type, "bearer");
    assert.equal(body.expires_in, 60);
    assert.equal(typeof body.access_token, "string");
    assert.equal(response.headers["cache-control"], "no-store");
  });

  // An empty authorization stands for the buyer's valid credentials.
  const refusals: [string, Record<string, string>, string, number, string][] = [
    ["no credentials", FORM, "grant_type=client_credentials", 401, "invalid_client"],
    [
      "a wrong secret",
      { ...FORM, authorization: basic("x", "y") },
      "grant_type=client_credentials",
      401,
      "invalid_client",
    ],
    [
      "a missing grant_type",
      { ...FORM, authorization: "" },
      "scope=footprint",
      400,
      "invalid_request",
    ],
    [
      "another grant type",
      { ...FORM, authorization: "" },
      "grant_type=password",
      400,
      "unsupported_grant_type",
    ],
    [
      "a JSON body",
      { "content-type": "application/json", authorization: "" },
      '{"grant_type":"client_credentials"}',
      400,
      "invalid_request",
    ],
  ];
  for (const [label, headers, payload, status, error] of refusals) {
    it(`refuses ${label} with RFC 6749 error ${error}, issuing nothing`, async () => {
      const tokens = count("pact_tokens");
      const withAuth =
        headers.authorization === ""
          ? { ...headers, authorization: basic(buyer.clientId, buyer.clientSecret) }
          : headers;
      const response = await app.inject({
        method: "POST",
        url: "/auth/token",
        headers: withAuth,
        payload,
      });
      assert.equal(response.statusCode, status);
      assert.equal(response.json<{ error: string }>().error, error);
      assert.equal(count("pact_tokens"), tokens);
    });
  }

  it("serves an OpenID provider configuration pointing at the token endpoint", async () => {
    const response = await get("/.well-known/openid-configuration");
    const body = response.json<Record<string, unknown>>();
    assert.equal(body.token_endpoint, "http://pact.example:8443/auth/token");
    assert.deepEqual(body.grant_types_supported, ["client_credentials"]);
  });
});

describe("PACT lot-proof extension schema", () => {
  it("is served without a token at the URL the footprints name as dataSchema", async () => {
    const response = await get("/pact/extensions/ei-lot-proof/1.0.0/schema.json");
    assert.equal(response.statusCode, 200);
    assert.equal(response.json<{ type: string }>().type, "object");
    assert.ok(
      published[0]?.extensions?.[0]?.dataSchema.endsWith(
        "/pact/extensions/ei-lot-proof/1.0.0/schema.json",
      ),
    );
  });
});

describe("PACT v3 ListFootprints / GetFootprint", () => {
  it("lists every footprint, each valid against the PACT data model", async () => {
    const response = await get("/3/footprints", await token());
    assert.equal(response.statusCode, 200);
    const { data } = response.json<{ data: unknown[] }>();
    assert.equal(data.length, 3);
    for (const pf of data) assert.equal(productFootprintSchema.safeParse(pf).success, true);
    assert.equal(response.headers.link, undefined);
  });

  it("pages with an absolute Link rel=next on the request's host, same set on each call", async () => {
    const bearer = await token();
    const first = await get("/3/footprints?limit=2", bearer);
    assert.equal(first.json<{ data: unknown[] }>().data.length, 2);
    const link = String(first.headers.link);
    const match = /^<(https?:\/\/pact\.example:8443\/3\/footprints\?[^>]+)>; rel="next"$/u.exec(
      link,
    );
    assert.ok(match?.[1], link);
    const next = new URL(match[1]);
    const second = await get(`${next.pathname}${next.search}`, bearer);
    const again = await get(`${next.pathname}${next.search}`, bearer);
    assert.deepEqual(second.json(), again.json());
    const ids = [
      ...first.json<{ data: { id: string }[] }>().data,
      ...second.json<{ data: { id: string }[] }>().data,
    ].map((pf) => pf.id);
    assert.deepEqual(new Set(ids), new Set(published.map((pf) => pf.id)));
    assert.equal(second.headers.link, undefined);
  });

  it("filters by productId, geography, status and validity", async () => {
    const bearer = await token();
    const ids = async (query: string) =>
      (await get(`/3/footprints?${query}`, bearer))
        .json<{ data: { id: string }[] }>()
        .data.map((pf) => pf.id);
    assert.deepEqual(await ids("productId=urn:gtin:4000000000001"), [published[1]?.id]);
    assert.deepEqual(
      await ids("productId=urn:gtin:4000000000001&productId=urn:gtin:4000000000002"),
      [published[1]?.id, published[2]?.id],
    );
    assert.deepEqual(await ids("geography=FR"), [published[2]?.id]);
    assert.equal((await ids("status=Deprecated")).length, 0);
    assert.equal((await ids("validOn=2024-01-01T00:00:00Z")).length, 3);
    assert.equal((await ids("validOn=2030-01-01T00:00:00Z")).length, 0);
    assert.equal((await ids("validBefore=2020-01-01T00:00:00Z")).length, 0);
  });

  it("gets one footprint by id", async () => {
    const response = await get(`/3/footprints/${published[0]?.id}`, await token());
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json<{ data: unknown }>().data, published[0]);
  });

  const errors: [string, () => ReturnType<typeof get>, number, string][] = [
    ["no token", () => get("/3/footprints"), 403, "AccessDenied"],
    ["a wrong token", () => get("/3/footprints", "not-a-token"), 403, "AccessDenied"],
    [
      "an unknown id",
      async () => get("/3/footprints/00000000-0000-4000-8000-000000000000", await token()),
      404,
      "NoSuchFootprint",
    ],
    [
      "an id that is not a UUID",
      async () => get("/3/footprints/lot-1", await token()),
      400,
      "BadRequest",
    ],
    [
      "a filter the spec does not define",
      async () => get("/3/footprints?color=red", await token()),
      400,
      "BadRequest",
    ],
    [
      "a malformed filter value",
      async () => get("/3/footprints?validOn=yesterday", await token()),
      400,
      "BadRequest",
    ],
    [
      "a status outside the enumeration",
      async () => get("/3/footprints?status=Draft", await token()),
      400,
      "BadRequest",
    ],
    ["a zero limit", async () => get("/3/footprints?limit=0", await token()), 400, "BadRequest"],
    [
      "the deprecated OData $filter",
      async () => get("/3/footprints?$filter=x", await token()),
      400,
      "NotImplemented",
    ],
  ];
  for (const [label, call, status, code] of errors) {
    it(`answers ${label} with ${code} (${status})`, async () => {
      const response = await call();
      assert.equal(response.statusCode, status);
      const body = response.json<{ code: string; message: string }>();
      assert.equal(body.code, code);
      assert.equal(typeof body.message, "string");
    });
  }

  it("answers an expired token with TokenExpired (401), a revoked client's token and credentials with refusals", async () => {
    const bearer = await token();
    clock += 61_000;
    const expired = await get("/3/footprints", bearer);
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.json<{ code: string }>().code, "TokenExpired");
    const other = clients.create("Leaving GmbH", clock);
    const response = await app.inject({
      method: "POST",
      url: "/auth/token",
      headers: { ...FORM, authorization: basic(other.clientId, other.clientSecret) },
      payload: "grant_type=client_credentials",
    });
    const otherToken = response.json<{ access_token: string }>().access_token;
    assert.equal((await get("/3/footprints", otherToken)).statusCode, 200);
    assert.equal(clients.revoke(other.clientId, clock), true);
    assert.equal((await get("/3/footprints", otherToken)).statusCode, 403);
    const again = await app.inject({
      method: "POST",
      url: "/auth/token",
      headers: { ...FORM, authorization: basic(other.clientId, other.clientSecret) },
      payload: "grant_type=client_credentials",
    });
    assert.equal(again.statusCode, 401);
  });

  it("stores client secrets only as scrypt hashes", () => {
    const row = db
      .prepare("SELECT * FROM pact_clients WHERE client_id = ?")
      .get(buyer.clientId) as Record<string, unknown>;
    assert.ok(!JSON.stringify(row).includes(buyer.clientSecret));
    assert.ok(Buffer.isBuffer(row.secret_hash));
  });
});

describe("PACT v3 with a stored footprint that lacks pcf (written by hand or an older gateway)", () => {
  it("leaves it out of listings with a logged warning, and answers GetFootprint with InternalError", async () => {
    const lines: { level: number; msg: string; footprintId?: string; reason?: string }[] = [];
    const logged = Fastify({
      loggerInstance: pino(
        { level: "warn" },
        {
          write: (line: string) => {
            lines.push(JSON.parse(line) as (typeof lines)[number]);
          },
        },
      ),
    });
    await logged.register((scope, _options, done) => {
      pactRoutes(scope, { clients, footprints, db, now: () => clock, tokenLifetimeMs: 60_000 });
      done();
    });
    await logged.ready();
    const brokenId = "11111111-1111-4111-8111-111111111111";
    const { pcf: _pcf, ...withoutPcf } = published[0] ?? {};
    db.prepare(
      "INSERT INTO pact_footprints (id, lot_id, created_at_ms, json) VALUES (?, ?, ?, ?)",
    ).run(brokenId, "999", 0, JSON.stringify({ ...withoutPcf, id: brokenId }));
    try {
      const headers = { host: "pact.example:8443", authorization: `Bearer ${await token()}` };
      const list = await logged.inject({ url: "/3/footprints", headers });
      assert.equal(list.statusCode, 200);
      const ids = list.json<{ data: { id: string }[] }>().data.map((pf) => pf.id);
      assert.deepEqual(
        ids,
        published.map((pf) => pf.id),
      );
      const warning = lines.find((line) => line.footprintId === brokenId);
      assert.equal(warning?.level, 40);
      assert.match(warning.reason ?? "", /^pcf: /u);

      const one = await logged.inject({ url: `/3/footprints/${brokenId}`, headers });
      assert.equal(one.statusCode, 500);
      assert.equal(one.json<{ code: string }>().code, "InternalError");
      assert.ok(lines.some((line) => line.level === 50 && line.footprintId === brokenId));
      // The readable footprints are served as before.
      const fine = await logged.inject({ url: `/3/footprints/${published[1]?.id}`, headers });
      assert.equal(fine.statusCode, 200);
    } finally {
      db.prepare("DELETE FROM pact_footprints WHERE id = ?").run(brokenId);
      await logged.close();
    }
  });
});

describe("PACT v3 listings check each stored row once per version", () => {
  it("re-checks only a changed row (an invalid edit is then left out) and not an unchanged listing", async () => {
    const checked: string[] = [];
    const counted = new PactFootprintsRepository(db, {
      parse: (json) => {
        checked.push((JSON.parse(json) as { id: string }).id);
        return parseStoredFootprint(json);
      },
    });
    const scoped = Fastify();
    await scoped.register((scope, _options, done) => {
      pactRoutes(scope, { clients, footprints: counted, db, now: () => clock });
      done();
    });
    await scoped.ready();
    const edited = published[1];
    assert.ok(edited !== undefined);
    const original = (
      db.prepare("SELECT json FROM pact_footprints WHERE id = ?").get(edited.id) as { json: string }
    ).json;
    try {
      const headers = { host: "pact.example:8443", authorization: `Bearer ${await token()}` };
      const listed = async () => {
        const response = await scoped.inject({ url: "/3/footprints", headers });
        assert.equal(response.statusCode, 200);
        return response.json<{ data: { id: string }[] }>().data.map((pf) => pf.id);
      };
      const all = published.map((pf) => pf.id);
      assert.deepEqual(await listed(), all);
      assert.deepEqual(checked.toSorted(), all.toSorted());
      // Unchanged rows: neither a second listing nor a read by id checks them again.
      assert.deepEqual(await listed(), all);
      assert.equal(
        (await scoped.inject({ url: `/3/footprints/${edited.id}`, headers })).statusCode,
        200,
      );
      assert.equal(checked.length, all.length);

      // Edited by hand into something the schema refuses: checked again, then left out.
      const { pcf: _pcf, ...withoutPcf } = edited;
      db.prepare("UPDATE pact_footprints SET json = ? WHERE id = ?").run(
        JSON.stringify(withoutPcf),
        edited.id,
      );
      assert.deepEqual(await listed(), [published[0]?.id, published[2]?.id]);
      assert.deepEqual(checked.slice(all.length), [edited.id]);
      const one = await scoped.inject({ url: `/3/footprints/${edited.id}`, headers });
      assert.equal(one.json<{ code: string }>().code, "InternalError");
      assert.equal(checked.length, all.length + 1);

      // Put back: checked once more and listed again.
      db.prepare("UPDATE pact_footprints SET json = ? WHERE id = ?").run(original, edited.id);
      assert.deepEqual(await listed(), all);
      assert.deepEqual(checked.slice(all.length), [edited.id, edited.id]);
    } finally {
      db.prepare("UPDATE pact_footprints SET json = ? WHERE id = ?").run(original, edited.id);
      await scoped.close();
    }
  });
});

describe("PACT v3 Events", () => {
  const post = async (
    body: unknown,
    bearer?: string,
    contentType = "application/cloudevents+json; charset=UTF-8",
  ) =>
    app.inject({
      method: "POST",
      url: "/3/events",
      headers: {
        "content-type": contentType,
        authorization: `Bearer ${bearer ?? (await token())}`,
      },
      payload: typeof body === "string" ? body : JSON.stringify(body),
    });
  const event = (type: string, data: unknown, id = `ev-${Math.random()}`) => ({
    type,
    specversion: "1.0",
    id,
    source: "//buyer.example/pact",
    time: "2026-11-02T12:00:00Z",
    data,
  });

  it("accepts each of the four event types with 200 and an empty body, and keeps it", async () => {
    const before = count("pact_events");
    const cases = [
      event(PACT_EVENT_TYPES.requestCreated, {
        productId: ["urn:gtin:4000000000001"],
        comment: "Q4 please",
      }),
      event(PACT_EVENT_TYPES.requestFulfilled, { requestEventId: "r1", pfs: [published[0]] }),
      event(PACT_EVENT_TYPES.requestRejected, {
        requestEventId: "r2",
        error: { code: "NotFound", message: "none" },
      }),
      event(PACT_EVENT_TYPES.published, { pfIds: [published[1]?.id] }),
    ];
    for (const body of cases) {
      const response = await post(body);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.body, "");
    }
    assert.equal(count("pact_events"), before + 4);
  });

  it("stores a retried event once", async () => {
    const body = event(PACT_EVENT_TYPES.published, { pfIds: [published[0]?.id] }, "retry-1");
    await post(body);
    const before = count("pact_events");
    assert.equal((await post(body)).statusCode, 200);
    assert.equal(count("pact_events"), before);
  });

  const malformed: [string, unknown][] = [
    ["not JSON", "{oops"],
    ["an unknown type", event("org.example.Other.v1", {})],
    [
      "a wrong specversion",
      { ...event(PACT_EVENT_TYPES.published, { pfIds: [published[0]?.id] }), specversion: "0.3" },
    ],
    [
      "no time",
      { ...event(PACT_EVENT_TYPES.published, { pfIds: [published[0]?.id] }), time: undefined },
    ],
    ["empty pfIds", event(PACT_EVENT_TYPES.published, { pfIds: [] })],
    [
      "a fulfilled event with an invalid footprint",
      event(PACT_EVENT_TYPES.requestFulfilled, { requestEventId: "r", pfs: [{ id: "x" }] }),
    ],
    [
      "a request with a productId that is not a URN",
      event(PACT_EVENT_TYPES.requestCreated, { productId: ["4000000000001"] }),
    ],
  ];
  for (const [label, body] of malformed) {
    it(`refuses ${label} with BadRequest, storing nothing`, async () => {
      const before = count("pact_events");
      const response = await post(body);
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json<{ code: string }>().code, "BadRequest");
      assert.equal(count("pact_events"), before);
    });
  }

  it("refuses an event without a token (AccessDenied), storing nothing", async () => {
    const before = count("pact_events");
    const response = await app.inject({
      method: "POST",
      url: "/3/events",
      headers: { "content-type": "application/cloudevents+json" },
      payload: JSON.stringify(event(PACT_EVENT_TYPES.published, { pfIds: [published[0]?.id] })),
    });
    assert.equal(response.statusCode, 403);
    assert.equal(count("pact_events"), before);
  });
});
