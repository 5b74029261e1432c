import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import BetterSqlite3 from "better-sqlite3";
import Fastify, { type FastifyInstance } from "fastify";
import { productFootprintFromLot } from "@energy-intelligence/sdk/pact/index";
import { ensurePactTables } from "@energy-intelligence/oracle/pact/openPactStore";
import { PactClientsRepository } from "@energy-intelligence/oracle/pact/pactClientsRepository";
import { PactFootprintsRepository } from "@energy-intelligence/oracle/pact/pactFootprintsRepository";
import { pactRoutes } from "@energy-intelligence/oracle/pact/pactRoutes";
import { corruptFootprintsInTransit } from "../../oracle/src/pact/corruptInTransit.testHelper.ts";
import { openStore } from "@energy-intelligence/oracle/store/openStore";
import { SupplierFootprintsRepository } from "@energy-intelligence/oracle/pact/supplierFootprintsRepository";
import { buildPactTestLot, pactTestParameters } from "../../sdk/src/pact/pactFixture.testHelper.ts";
import { runEi } from "../cli/runEi.testHelper.ts";

const supplierDb = new BetterSqlite3(":memory:");
ensurePactTables(supplierDb);
const clients = new PactClientsRepository(supplierDb);
const published = new PactFootprintsRepository(supplierDb);
const buyer = clients.create("Buyer AG", Date.now());
const lot = buildPactTestLot();
const footprints = [0n, 1n].map((n) => {
  const pf = productFootprintFromLot(pactTestParameters(lot.document, lot.lotId + n, lot.cid));
  published.publish(lot.lotId + n, pf);
  return pf;
});
const ids = footprints.map((pf) => pf.id);
const BROKEN = "99999999-9999-4999-8999-999999999999";
let server: FastifyInstance;
let baseUrl: string;
const dataDir = mkdtempSync(path.join(tmpdir(), "ei-pact-cli-"));

before(async () => {
  server = Fastify();
  await server.register((scope, _options, done) => {
    // A supplier whose implementation sends BROKEN without a company name.
    corruptFootprintsInTransit(scope, new Map([[BROKEN, (pf) => ({ ...pf, companyName: "" })]]));
    pactRoutes(scope, { clients, footprints: published, db: supplierDb, maxPageSize: 1 });
    done();
  });
  baseUrl = await server.listen({ host: "127.0.0.1", port: 0 });
});
after(async () => {
  await server.close();
  supplierDb.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const pull = (...extra: string[]) =>
  runEi([
    "pact",
    "pull",
    "--url",
    baseUrl,
    "--client-id",
    buyer.clientId,
    "--data-dir",
    dataDir,
    ...extra,
  ]);

describe("ei pact pull", () => {
  it("keeps every valid footprint from a PACT v3 host, page by page", async () => {
    process.env.EI_PACT_CLIENT_SECRET = buyer.clientSecret;
    const run = await pull("--json");
    assert.equal(run.exitCode, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { kept: string[]; new: number; pages: number };
    assert.deepEqual(result.kept, ids);
    assert.equal(result.new, 2);
    assert.equal(result.pages, 2);
    const db = openStore({ dataDir, readonly: true });
    try {
      assert.deepEqual(
        [...new SupplierFootprintsRepository(db).byId().keys()].sort(),
        [...ids].sort(),
      );
    } finally {
      db.close();
    }
    const listed = await runEi(["pact", "list", "--data-dir", dataDir]);
    assert.equal(listed.exitCode, 0);
    assert.ok(ids.every((id) => listed.stdout.includes(id)));
  });

  it("rejects a footprint that is not PACT v3, naming its failing fields, and keeps the rest (exit 1)", async () => {
    published.publish(lot.lotId + 99n, {
      ...productFootprintFromLot(pactTestParameters(lot.document, lot.lotId + 99n, lot.cid)),
      id: BROKEN,
    });
    process.env.EI_PACT_CLIENT_SECRET = buyer.clientSecret;
    const run = await pull();
    assert.equal(run.exitCode, 1, run.stderr);
    assert.match(run.stdout, /2 footprint\(s\) kept \(0 new\)/u);
    assert.match(run.stdout, new RegExp(`REJECTED[\\s\\S]*${BROKEN}[\\s\\S]*companyName:`, "u"));
    const db = openStore({ dataDir, readonly: true });
    try {
      assert.equal(new SupplierFootprintsRepository(db).get(BROKEN), undefined);
    } finally {
      db.close();
    }
  });

  it("says what to do on wrong credentials or no secret, and changes nothing", async () => {
    process.env.EI_PACT_CLIENT_SECRET = "wrong";
    const refused = await pull();
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /invalid_client[\s\S]*next: Check --client-id/u);
    delete process.env.EI_PACT_CLIENT_SECRET;
    const none = await pull();
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /no client secret given/u);
  });
});
