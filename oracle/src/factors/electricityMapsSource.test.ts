import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { elementAt } from "@energy-intelligence/sdk/accounting/elementAt";
import { loadShippedFactorDatasets } from "@energy-intelligence/sdk/factors/index";
import {
  electricityMapsEntry,
  electricityMapsHistoryBody,
} from "@energy-intelligence/sdk/factors/sources/apiResponseFixtures.testHelper";
import {
  ELECTRICITY_MAPS_CITATION,
  ELECTRICITY_MAPS_LICENCE,
  createElectricityMapsSource,
} from "./electricityMapsSource.ts";
import { sendJson, startLocalApiServer } from "./localApiServer.testHelper.ts";
import type { LocalApiServer } from "./localApiServer.testHelper.ts";
import { resolveLiveHourlyFactors } from "./resolveLiveHourlyFactors.ts";

const HOUR = 3_600_000;
const datasets = loadShippedFactorDatasets();
// Ember 2023 (lifecycle) for the fallback of a lifecycle request; the 2023 window makes it apply.
const T = Date.UTC(2023, 5, 1, 12);
const hours = [0, 1].map((h) => ({ startMs: T + h * HOUR, endMs: T + (h + 1) * HOUR }));
const servers: LocalApiServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

async function run(
  respond: Parameters<typeof startLocalApiServer>[0],
  kind: "direct" | "lifecycle",
) {
  const server = await startLocalApiServer(respond);
  servers.push(server);
  const source = createElectricityMapsSource({
    baseUrl: server.url,
    zone: "DE",
    authToken: "secret-token",
    timeoutMs: 2_000,
    maxRetryWaitMs: 0,
    cacheTtlMs: 60_000,
  });
  const resolved = await resolveLiveHourlyFactors({
    live: { source, citation: ELECTRICITY_MAPS_CITATION, licence: ELECTRICITY_MAPS_LICENCE },
    kind,
    hours,
    shipped: { datasets: datasets.filter((d) => d.id === "eu27-ember-2023"), region: "DE" },
  });
  return { resolved, server };
}

describe("Electricity Maps v3 client against a local server", () => {
  it("sends the auth-token header and the kind; records the kind in every factor", async () => {
    const { resolved, server } = await run((_request, response) => {
      sendJson(response, 200, {
        zone: "DE",
        data: [
          electricityMapsEntry("DE", T, 420, "lifecycle"),
          electricityMapsEntry("DE", T + HOUR, 401.5, "lifecycle", true),
        ],
      });
    }, "lifecycle");
    const request = elementAt(server.requests, 0);
    assert.equal(request.headers["auth-token"], "secret-token");
    assert.match(
      request.path,
      /^\/v3\/carbon-intensity\/past-range\?zone=DE&start=2023-06-01T12%3A00%3A00\.000Z&end=2023-06-01T14%3A00%3A00\.000Z&emissionFactorType=lifecycle$/u,
    );
    assert.deepEqual(
      resolved.map((h) => [h.factor.value, h.factor.kind, h.estimated]),
      [
        ["420", "lifecycle", false],
        ["401.5", "lifecycle", true],
      ],
    );
    assert.ok(
      !JSON.stringify(resolved).includes("secret-token"),
      "the token never enters a factor",
    );
  });

  it("a lifecycle answer to a direct request is not used as direct: wrong-kind, fallback recorded", async () => {
    const { resolved } = await run((_request, response) => {
      sendJson(response, 200, electricityMapsHistoryBody("DE", [420, 410], "lifecycle", T));
    }, "direct");
    assert.ok(resolved.every((h) => h.fallback?.reason === "wrong-kind"));
  });

  it("401: unauthorised, every hour falls back", async () => {
    const { resolved } = await run((_request, response) => {
      sendJson(response, 401, { message: "Invalid auth-token" });
    }, "lifecycle");
    assert.ok(
      resolved.every(
        (h) => h.fallback?.reason === "unauthorised" && h.factor.datasetId === "eu27-ember-2023",
      ),
    );
  });
});
