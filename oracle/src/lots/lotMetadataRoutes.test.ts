import assert from "node:assert/strict";
import { it } from "node:test";
import Database from "better-sqlite3";
import Fastify from "fastify";
import { buildFootprintDocument } from "@energy-intelligence/sdk/footprints/buildFootprintDocument";
import { selectFootprintReadings } from "@energy-intelligence/sdk/footprints/selectFootprintReadings";
import {
  buildScenarioContainers,
  SCENARIO_SITE_ID,
} from "../../../test/fixtures/jobs/buildScenarioContainers.ts";
import { loadJobScenario, scenarioId } from "../../../test/fixtures/jobs/loadJobScenario.ts";
import { migration0005ProductLots } from "../store/migrations/0005-product-lots.ts";
import { lotMetadataRoutes } from "./lotMetadataRoutes.ts";
import { ProductLotsRepository } from "./productLotsRepository.ts";

it("serves the metadata of a minted lot at /v1/tokens/{id}.json, 404 otherwise, 400 for a bad id", async () => {
  const db = new Database(":memory:");
  db.exec(migration0005ProductLots.up);
  const lots = new ProductLotsRepository(db);
  const loaded = loadJobScenario("one-machine-one-job");
  const { parameters } = loaded;
  const productId = scenarioId("bracket");
  const built = buildFootprintDocument({
    siteId: SCENARIO_SITE_ID,
    productId,
    lotJobIds: [scenarioId("job-1")],
    jobs: parameters.jobs.map((job) => ({ ...job, productId })),
    scope: parameters.scope,
    rules: parameters.rules,
    machines: parameters.machines,
    overheadChannels: [],
    ...selectFootprintReadings({
      containers: buildScenarioContainers(loaded),
      channels: parameters.machines.flatMap((machine) => machine.channels),
      scope: parameters.scope,
    }),
  });
  const lotId = `0x${built.lotId.toString(16).padStart(64, "0")}` as const;
  lots.request({ lotId, siteId: SCENARIO_SITE_ID, productId, jobIds: [scenarioId("job-1")] }, 0);
  const app = Fastify();
  lotMetadataRoutes(app, { lots });
  const url = `/v1/tokens/${lotId.slice(2)}.json`;
  assert.equal((await app.inject({ method: "GET", url })).statusCode, 404);
  lots.markSigned(lotId, {
    cid: built.cid.toString(),
    document: built.documentBytes,
    footprint: "{}",
    signature: "0x00",
  });
  lots.markMinted(lotId, 5);
  const response = await app.inject({ method: "GET", url });
  assert.equal(response.statusCode, 200);
  const body = response.json<{
    properties: { units: string; energyMilliWattHours: string; footprintCid: string };
  }>();
  assert.deepEqual(
    [body.properties.units, body.properties.energyMilliWattHours, body.properties.footprintCid],
    ["40", "1400000", built.cid.toString()],
  );
  assert.equal((await app.inject({ method: "GET", url: "/v1/tokens/xyz.json" })).statusCode, 400);
  await app.close();
  db.close();
});
