import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import Fastify, { type FastifyInstance } from "fastify";
import { productFootprintFromLot } from "@energy-intelligence/sdk/pact/index";
import {
  buildPactTestLot,
  pactTestParameters,
} from "../../../sdk/src/pact/pactFixture.testHelper.ts";
import { openStore } from "../store/openStore.ts";
import { ensurePactTables } from "./openPactStore.ts";
import { corruptFootprintsInTransit } from "./corruptInTransit.testHelper.ts";
import { PactClientsRepository } from "./pactClientsRepository.ts";
import { nextLinkOf, PactClientError, pullPactFootprints } from "./pactClient.ts";
import { PactFootprintsRepository } from "./pactFootprintsRepository.ts";
import { pactRoutes } from "./pactRoutes.ts";
import { SupplierFootprintsRepository } from "./supplierFootprintsRepository.ts";

// The supplier: our own PACT v3 routes on a real HTTP server on 127.0.0.1.
const supplierDb = new BetterSqlite3(":memory:");
ensurePactTables(supplierDb);
const clients = new PactClientsRepository(supplierDb);
const published = new PactFootprintsRepository(supplierDb);
const buyer = clients.create("Buyer AG", Date.now());
const lot = buildPactTestLot();
const footprints = [0n, 1n, 2n].map((n) => {
  const parameters = pactTestParameters(lot.document, lot.lotId + n, lot.cid);
  const pf = productFootprintFromLot({
    ...parameters,
    lot: { ...parameters.lot, mintedAtMs: parameters.lot.mintedAtMs + Number(n) * 1000 },
  });
  published.publish(lot.lotId + n, pf);
  return pf;
});
// A footprint the host serves that is not PACT v3: stored valid, corrupted on the wire.
const BROKEN = "99999999-9999-4999-8999-999999999999";
published.publish(lot.lotId + 99n, {
  ...productFootprintFromLot(pactTestParameters(lot.document, lot.lotId + 99n, lot.cid)),
  id: BROKEN,
});
const corruptions = new Map([
  [
    BROKEN,
    (pf: Record<string, unknown>) => ({
      ...pf,
      companyIds: ["not-a-urn"],
      pcf: { ...(pf.pcf as object), declaredUnitOfMeasurement: "bushel" },
    }),
  ],
]);

let server: FastifyInstance;
let baseUrl: string;
const dataDir = mkdtempSync(path.join(tmpdir(), "ei-pact-pull-"));

before(async () => {
  server = Fastify();
  await server.register((scope, _options, done) => {
    corruptFootprintsInTransit(scope, corruptions);
    pactRoutes(scope, { clients, footprints: published, db: supplierDb, maxPageSize: 2 });
    done();
  });
  baseUrl = await server.listen({ host: "127.0.0.1", port: 0 });
});
after(async () => {
  await server.close();
  supplierDb.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("pullPactFootprints against a PACT v3 host", () => {
  it("authenticates, follows every next link, keeps valid footprints and lists the invalid one's fields", async () => {
    const result = await pullPactFootprints({
      baseUrl,
      clientId: buyer.clientId,
      clientSecret: buyer.clientSecret,
      pageSize: 1,
    });
    assert.equal(result.pages, 4);
    assert.deepEqual(
      result.accepted.map((pf) => pf.id),
      footprints.map((pf) => pf.id),
    );
    assert.equal(result.rejected.length, 1);
    const [rejected] = result.rejected;
    assert.ok(rejected !== undefined);
    assert.equal(rejected.id, BROKEN);
    assert.ok(rejected.issues.some((issue) => issue.startsWith("companyIds.0:")));
    assert.ok(rejected.issues.some((issue) => issue.startsWith("pcf.declaredUnitOfMeasurement:")));

    const db = openStore({ dataDir });
    try {
      const suppliers = new SupplierFootprintsRepository(db);
      assert.equal(suppliers.keep(baseUrl, result.accepted, 1000), 3);
      // A second pull refreshes, never duplicates.
      assert.equal(suppliers.keep(baseUrl, result.accepted, 2000), 0);
      assert.equal(suppliers.list().length, 3);
      assert.deepEqual(suppliers.get(footprints[1]?.id ?? "")?.footprint, footprints[1]);
      assert.equal(suppliers.get(footprints[1]?.id ?? "")?.pulledAtMs, 2000);
    } finally {
      db.close();
    }
  });

  it("reports the host's OAuth error for a wrong secret", async () => {
    await assert.rejects(
      pullPactFootprints({ baseUrl, clientId: buyer.clientId, clientSecret: "wrong" }),
      (error: unknown) =>
        error instanceof PactClientError && error.code === "invalid_client" && error.status === 401,
    );
  });

  it("reads RFC 8288 next links", () => {
    assert.equal(
      nextLinkOf('<https://a.example/3/footprints?offset=2>; rel="next"'),
      "https://a.example/3/footprints?offset=2",
    );
    assert.equal(nextLinkOf('<https://a/x>; rel="prev", <https://a/y>; rel="next"'), "https://a/y");
    assert.equal(nextLinkOf(null), undefined);
  });
});
