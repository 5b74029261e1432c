import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import type { Hex } from "viem";
import { aas, IDTA_CARBON_FOOTPRINT } from "@energy-intelligence/sdk/aas/index";
import { productFootprintFromLot } from "@energy-intelligence/sdk/pact/index";
import {
  buildPactTestLot,
  pactTestParameters,
} from "../../../sdk/src/pact/pactFixture.testHelper.ts";
import { ProductLotsRepository } from "../lots/productLotsRepository.ts";
import { PactFootprintsRepository } from "../pact/pactFootprintsRepository.ts";
import { openStore } from "../store/openStore.ts";
import { registerAasRoutes } from "./aasRoutes.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "ei-aas-routes-"));
const db = openStore({ dataDir });
const lots = new ProductLotsRepository(db);
const footprints = new PactFootprintsRepository(db);
const lot = buildPactTestLot();
const lotHex = (n: bigint): Hex => `0x${n.toString(16).padStart(64, "0")}`;
// Two minted lots of the scenario, published as the gateway does, documents in the lots table.
for (const n of [0n, 1n]) {
  const lotId = lot.lotId + n;
  const parameters = pactTestParameters(lot.document, lotId, lot.cid);
  footprints.publish(
    lotId,
    productFootprintFromLot({
      ...parameters,
      lot: { ...parameters.lot, mintedAtMs: parameters.lot.mintedAtMs + Number(n) * 1000 },
    }),
  );
  lots.request(
    {
      lotId: lotHex(lotId),
      siteId: lot.document.siteId,
      productId: lot.document.productId,
      jobIds: lot.document.lot.jobIds,
    },
    1,
  );
  lots.markSigned(lotHex(lotId), {
    cid: lot.cid,
    document: new TextEncoder().encode(JSON.stringify(lot.document)),
    footprint: "{}",
    signature: "0x00",
  });
}
const machineCount = lot.document.machines.length;
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");
let app: FastifyInstance;
const builds: string[] = [];

before(async () => {
  app = Fastify();
  await registerAasRoutes(app, {
    lots,
    footprints,
    maxPageSize: 50,
    onBuild: (kind, key) => builds.push(`${kind}:${key}`),
  });
  await app.ready();
});
after(async () => {
  await app.close();
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Paged {
  paging_metadata: { cursor?: string };
  result: { id: string; idShort: string; assetInformation?: { globalAssetId: string } }[];
}

describe("AAS repository API (Part 2) read endpoints", () => {
  it("GET /shells lists a shell per lot and per metered machine, each aas-core-valid", async () => {
    const response = await app.inject({ url: "/aas/shells" });
    assert.equal(response.statusCode, 200);
    const body = response.json<Paged>();
    assert.equal(body.result.length, 2 + machineCount);
    assert.deepEqual(body.paging_metadata, {});
    for (const shell of body.result) {
      const parsed = aas.jsonization.assetAdministrationShellFromJsonable(shell);
      assert.equal(parsed.error, null);
      assert.deepEqual([...aas.verification.verify(parsed.mustValue(), true)], []);
    }
    assert.ok(body.result[0]?.assetInformation?.globalAssetId.startsWith("urn:ei:lot:31337:"));
    assert.ok(body.result.at(-1)?.assetInformation?.globalAssetId.startsWith("urn:ei:machine:"));
  });

  it("pages with limit and the cursor it issues, and refuses a cursor it did not", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const response = await app.inject({
        url: `/aas/shells?limit=1${cursor === undefined ? "" : `&cursor=${cursor}`}`,
      });
      assert.equal(response.statusCode, 200);
      const body = response.json<Paged>();
      assert.equal(body.result.length, 1);
      seen.push(...body.result.map((shell) => shell.id));
      cursor = body.paging_metadata.cursor;
    } while (cursor !== undefined);
    assert.equal(new Set(seen).size, 2 + machineCount);
    const bad = await app.inject({ url: `/aas/shells?cursor=${b64("urn:nope")}` });
    assert.equal(bad.statusCode, 400);
    const message = bad.json<{
      messages: { code: string; messageType: string; text: string; timestamp: string }[];
    }>().messages[0];
    assert.ok(message !== undefined);
    assert.equal(message.messageType, "Error");
    assert.equal(message.code, "400");
    assert.ok(!Number.isNaN(Date.parse(message.timestamp)));
    assert.equal((await app.inject({ url: "/aas/shells?limit=0" })).statusCode, 400);
  });

  it("GET /shells/{id} and its submodel-refs lead to the IDTA 02023 submodel and its $value", async () => {
    const list = (await app.inject({ url: "/aas/shells?limit=1" })).json<Paged>();
    const shellId = list.result[0]?.id ?? "";
    const shell = await app.inject({ url: `/aas/shells/${b64(shellId)}` });
    assert.equal(shell.statusCode, 200);
    assert.equal(shell.json<{ id: string }>().id, shellId);
    const refs = (await app.inject({ url: `/aas/shells/${b64(shellId)}/submodel-refs` })).json<{
      result: { type: string; keys: { type: string; value: string }[] }[];
    }>();
    const ref = refs.result[0];
    assert.ok(ref !== undefined);
    assert.equal(ref.type, "ModelReference");
    const submodelId = ref.keys[0]?.value ?? "";
    const submodel = await app.inject({ url: `/aas/submodels/${b64(submodelId)}` });
    assert.equal(submodel.statusCode, 200);
    assert.equal(
      submodel.json<{ semanticId: { keys: { value: string }[] } }>().semanticId.keys[0]?.value,
      IDTA_CARBON_FOOTPRINT.submodel,
    );
    const value = await app.inject({ url: `/aas/submodels/${b64(submodelId)}/$value` });
    assert.equal(value.statusCode, 200);
    const [entry] = value.json<{ ProductCarbonFootprints: Record<string, unknown>[] }>()
      .ProductCarbonFootprints;
    const footprint = footprints.all()[0];
    assert.equal(entry?.PcfCO2eq, footprint?.pcf.pcfExcludingBiogenicCO2Withdrawal);
    assert.deepEqual(entry?.LifeCyclePhases, ["A3 - production"]);
  });

  it("GET /submodels filters by semanticId; unknown and malformed ids get 404 and 400", async () => {
    const all = (
      await app.inject({ url: `/aas/submodels?semanticId=${b64(IDTA_CARBON_FOOTPRINT.submodel)}` })
    ).json<Paged>();
    assert.equal(all.result.length, 2 + machineCount);
    const none = (
      await app.inject({ url: `/aas/submodels?semanticId=${b64("urn:other")}` })
    ).json<Paged>();
    assert.equal(none.result.length, 0);
    assert.equal(
      (await app.inject({ url: `/aas/shells/${b64("urn:ei:aas:none")}` })).statusCode,
      404,
    );
    assert.equal((await app.inject({ url: `/aas/submodels/${b64("urn:none")}` })).statusCode, 404);
    assert.equal((await app.inject({ url: "/aas/shells/not*base64" })).statusCode, 400);
  });

  it("keeps built shells between requests and builds only what a newly minted lot changes", async () => {
    const count = async () =>
      (await app.inject({ url: "/aas/shells" })).json<Paged>().result.length;
    const before = await count();
    const settled = builds.length;
    assert.equal(settled, 2 + machineCount, "every shell was built once");
    await app.inject({ url: "/aas/shells" });
    await app.inject({ url: `/aas/submodels?semanticId=${b64(IDTA_CARBON_FOOTPRINT.submodel)}` });
    assert.equal(builds.length, settled, "repeated reads build nothing");

    // A third lot is minted and its footprint published: it appears, the old lots stay built.
    const lotId = lot.lotId + 2n;
    const parameters = pactTestParameters(lot.document, lotId, lot.cid);
    lots.request(
      {
        lotId: lotHex(lotId),
        siteId: lot.document.siteId,
        productId: lot.document.productId,
        jobIds: lot.document.lot.jobIds,
      },
      1,
    );
    lots.markSigned(lotHex(lotId), {
      cid: lot.cid,
      document: new TextEncoder().encode(JSON.stringify(lot.document)),
      footprint: "{}",
      signature: "0x00",
    });
    const published = productFootprintFromLot({
      ...parameters,
      lot: { ...parameters.lot, mintedAtMs: parameters.lot.mintedAtMs + 2000 },
    });
    footprints.publish(lotId, published);
    assert.equal(await count(), before + 1);
    const rebuilt = builds.slice(settled);
    assert.deepEqual(
      rebuilt.filter((entry) => entry.startsWith("lot:")),
      [`lot:${published.id}`],
    );
    // The machines the new lot metered get its energy: theirs are rebuilt, once.
    assert.equal(rebuilt.filter((entry) => entry.startsWith("machine:")).length, machineCount);
    await count();
    assert.equal(builds.length, settled + rebuilt.length);
  });

  it("serves the readable lots when a stored footprint lacks pcf (no shell for it, no 500)", async () => {
    const before = (await app.inject({ url: "/aas/shells" })).json<Paged>().result.length;
    const brokenId = "22222222-2222-4222-8222-222222222222";
    const { pcf: _pcf, ...withoutPcf } = footprints.all()[0] ?? {};
    db.prepare(
      "INSERT INTO pact_footprints (id, lot_id, created_at_ms, json) VALUES (?, ?, ?, ?)",
    ).run(brokenId, "999", 0, JSON.stringify({ ...withoutPcf, id: brokenId }));
    try {
      const response = await app.inject({ url: "/aas/shells" });
      assert.equal(response.statusCode, 200);
      assert.equal(response.json<Paged>().result.length, before);
    } finally {
      db.prepare("DELETE FROM pact_footprints WHERE id = ?").run(brokenId);
    }
  });
});
