import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { elementAt } from "@energy-intelligence/sdk/accounting/elementAt";
import { loadShippedFactorDatasets } from "@energy-intelligence/sdk/factors/index";
import type { HourlyFactor } from "@energy-intelligence/sdk/factors/index";
import {
  T0,
  ukRegionalBody,
} from "@energy-intelligence/sdk/factors/sources/apiResponseFixtures.testHelper";
import { sendJson, startLocalApiServer } from "./localApiServer.testHelper.ts";
import type { LocalApiServer } from "./localApiServer.testHelper.ts";
import { resolveLiveHourlyFactors } from "./resolveLiveHourlyFactors.ts";
import {
  UK_CARBON_INTENSITY_CITATION,
  UK_CARBON_INTENSITY_LICENCE,
  createUkCarbonIntensitySource,
} from "./ukCarbonIntensitySource.ts";

const HOUR = 3_600_000;
const datasets = loadShippedFactorDatasets();
const hours = [0, 1].map((h) => ({ startMs: T0 + h * HOUR, endMs: T0 + (h + 1) * HOUR }));
const servers: LocalApiServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

async function resolveWith(
  respond: Parameters<typeof startLocalApiServer>[0],
  extra: { maxRetryWaitMs?: number; now?: () => number } = {},
): Promise<{
  resolved: HourlyFactor[];
  server: LocalApiServer;
  again: () => Promise<HourlyFactor[]>;
}> {
  const server = await startLocalApiServer(respond);
  servers.push(server);
  const source = createUkCarbonIntensitySource({
    baseUrl: server.url,
    regionId: 13,
    timeoutMs: 2_000,
    maxRetryWaitMs: extra.maxRetryWaitMs ?? 50,
    cacheTtlMs: 60_000,
    now: extra.now,
  });
  const run = () =>
    resolveLiveHourlyFactors({
      live: {
        source,
        citation: UK_CARBON_INTENSITY_CITATION,
        licence: UK_CARBON_INTENSITY_LICENCE,
      },
      kind: "direct",
      hours,
      shipped: { datasets, region: "GB" },
    });
  return { resolved: await run(), server, again: run };
}

describe("UK Carbon Intensity API client against a local server", () => {
  it("normal: asks the documented path and uses each hour's half-hour mean, with provenance", async () => {
    const { resolved, server } = await resolveWith((_request, response) => {
      sendJson(response, 200, ukRegionalBody(13, [180, 190, 200, 211], T0));
    });
    assert.equal(
      server.requests[0]?.path,
      "/regional/intensity/2025-06-01T11:30Z/2025-06-01T14:00Z/regionid/13",
    );
    assert.deepEqual(
      resolved.map((h) => [h.factor.value, h.match, h.fallback]),
      [
        ["185", "live", undefined],
        ["205.5", "live", undefined],
      ],
    );
    assert.equal(elementAt(resolved, 0).factor.datasetId, "live:uk-carbon-intensity");
    assert.equal(elementAt(resolved, 0).estimated, true);
  });

  it("missing hour: the hour without figures falls back to DESNZ 2025 with reason missing-interval", async () => {
    const { resolved } = await resolveWith((_request, response) => {
      sendJson(response, 200, ukRegionalBody(13, [180, 190], T0));
    });
    assert.equal(elementAt(resolved, 0).match, "live");
    assert.equal(elementAt(resolved, 1).factor.datasetId, "uk-desnz-2025");
    assert.equal(elementAt(resolved, 1).fallback?.reason, "missing-interval");
  });

  it("negative and absurd intensities: those hours fall back, each with its reason", async () => {
    const { resolved } = await resolveWith((_request, response) => {
      sendJson(response, 200, ukRegionalBody(13, [180, -1, 200, 99_999], T0));
    });
    assert.deepEqual(
      resolved.map((h) => [h.factor.value, h.fallback?.reason]),
      [
        ["177", "negative-intensity"],
        ["177", "absurd-intensity"],
      ],
    );
  });

  it("error status: every hour falls back with http-error and the status in the detail", async () => {
    const { resolved } = await resolveWith((_request, response) => {
      sendJson(response, 500, { error: { code: "500", message: "Internal Server Error" } });
    });
    assert.ok(
      resolved.every(
        (h) => h.fallback?.reason === "http-error" && h.fallback.detail.includes("HTTP 500"),
      ),
    );
    assert.ok(resolved.every((h) => h.factor.value === "177"));
  });

  it("changed format: a 200 in another shape falls back with changed-format, and is not cached", async () => {
    const { resolved, server, again } = await resolveWith((_request, response) => {
      sendJson(response, 200, { data: [{ from: "2025-06-01T12:00Z", intensity: 180 }] });
    });
    assert.ok(resolved.every((h) => h.fallback?.reason === "changed-format"));
    await again();
    assert.equal(server.requests.length, 2);
  });

  it("429 with a short Retry-After: waits once, asks again, uses the answer", async () => {
    const { resolved, server } = await resolveWith((_request, response, index) => {
      if (index === 0) sendJson(response, 429, { error: "rate limit" }, { "retry-after": "0" });
      else sendJson(response, 200, ukRegionalBody(13, [100, 100, 100, 100], T0));
    });
    assert.equal(server.requests.length, 2);
    assert.ok(resolved.every((h) => h.match === "live" && h.factor.value === "100"));
  });

  it("429 with a long Retry-After: falls back as rate-limited and sends nothing until it has passed", async () => {
    let nowMs = T0 + 3 * HOUR;
    const { resolved, server, again } = await resolveWith(
      (_request, response) => {
        sendJson(response, 429, { error: "rate limit" }, { "retry-after": "120" });
      },
      { now: () => nowMs },
    );
    assert.ok(resolved.every((h) => h.fallback?.reason === "rate-limited"));
    const second = await again();
    assert.equal(server.requests.length, 1, "no request during the back-off");
    assert.match(second[0]?.fallback?.detail ?? "", /backing off/u);
    nowMs += 121_000;
    await again();
    assert.equal(server.requests.length, 2);
  });

  it("caches a good answer: the same window is asked once", async () => {
    const { server, again } = await resolveWith((_request, response) => {
      sendJson(response, 200, ukRegionalBody(13, [1, 2, 3, 4], T0));
    });
    await again();
    assert.equal(server.requests.length, 1);
  });

  it("unreachable: a closed port falls back with unreachable", async () => {
    const server = await startLocalApiServer(() => undefined);
    const url = server.url;
    await server.close();
    const source = createUkCarbonIntensitySource({
      baseUrl: url,
      regionId: 13,
      timeoutMs: 500,
      maxRetryWaitMs: 0,
      cacheTtlMs: 0,
    });
    const resolved = await resolveLiveHourlyFactors({
      live: {
        source,
        citation: UK_CARBON_INTENSITY_CITATION,
        licence: UK_CARBON_INTENSITY_LICENCE,
      },
      kind: "direct",
      hours,
      shipped: { datasets, region: "GB" },
    });
    assert.ok(resolved.every((h) => h.fallback?.reason === "unreachable"));
  });
});
