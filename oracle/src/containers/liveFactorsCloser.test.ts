import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { containerDocumentSchema } from "@energy-intelligence/sdk/containers/containerDocumentSchema";
import type { ContainerDocument } from "@energy-intelligence/sdk/containers/containerDocumentSchema";
import { ukRegionalBody } from "@energy-intelligence/sdk/factors/sources/apiResponseFixtures.testHelper";
import type { DeviceReading } from "@energy-intelligence/sdk";
import { startAnchoringServices } from "../anchor/startAnchoringServices.ts";
import { testStream } from "../anchor/testing/anchoringFixture.ts";
import { createConfiguredLiveFactors } from "../factors/createConfiguredLiveFactors.ts";
import { factorSourcesConfigSchema } from "../factors/factorSourcesConfigSchema.ts";
import { sendJson, startLocalApiServer } from "../factors/localApiServer.testHelper.ts";
import type { LocalApiServer } from "../factors/localApiServer.testHelper.ts";
import { createInlineWriter } from "../ingest/inlineWriter.ts";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { openStore } from "../store/openStore.ts";
import { TestDevice } from "../testing/deviceFixture.ts";
import { containersConfigSchema } from "./containersConfigSchema.ts";

const HOUR = 3_600_000;
const HALF_HOUR = 1_800_000;
const PERIOD_MS = HALF_HOUR;
const servers: LocalApiServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

/** Half-hour forecasts that differ per half-hour, so each hour's mean is checkable: 150 + index × 10. */
function forecastFor(halfHourStartMs: number): number {
  return 150 + ((halfHourStartMs / HALF_HOUR) % 12) * 10;
}

/** The Carbon Intensity API's regional endpoint, answering the window asked for in its wire format. */
async function ukApi(mode: { outage: boolean }): Promise<LocalApiServer> {
  const server = await startLocalApiServer((request, response) => {
    const match = /^\/regional\/intensity\/([^/]+)\/([^/]+)\/regionid\/(\d+)$/u.exec(
      request.url ?? "",
    );
    if (match === null) {
      sendJson(response, 404, { error: { code: "404", message: "not found" } });
      return;
    }
    if (mode.outage) {
      sendJson(response, 503, "<html>Service Unavailable</html>");
      return;
    }
    // The API answers the half-hours that end after `from`, up to `to`.
    const fromMs = Date.parse(match[1] ?? "") + HALF_HOUR;
    const toMs = Date.parse(match[2] ?? "");
    const forecasts: number[] = [];
    for (let ms = fromMs; ms < toMs; ms += HALF_HOUR) forecasts.push(forecastFor(ms));
    sendJson(response, 200, ukRegionalBody(Number(match[3]), forecasts, fromMs));
  });
  servers.push(server);
  return server;
}

async function closeWithUkSource(outage: boolean): Promise<{
  documents: ContainerDocument[];
  server: LocalApiServer;
}> {
  const server = await ukApi({ outage });
  const dataDir = mkdtempSync(path.join(tmpdir(), "ei-live-factors-"));
  const db = openStore({ dataDir });
  const startMs = Math.floor(Date.now() / HOUR) * HOUR - 4 * HOUR;
  const device = new TestDevice(0, { channelCount: 1, startMs });
  device.register(new DevicesRepository(db));
  const deviceRef = new DevicesRepository(db).get(device.deviceId)?.deviceRef ?? 0;
  const writer = createInlineWriter(db);
  const liveFactors = await createConfiguredLiveFactors(
    factorSourcesConfigSchema.parse({
      grid: {
        type: "uk-carbon-intensity",
        baseUrl: server.url,
        regionId: 13,
        timeoutMs: 2000,
        maxRetryWaitMs: 0,
      },
    }),
    undefined,
  );
  const services = await startAnchoringServices({
    db,
    dataDir,
    containers: containersConfigSchema.parse({
      periodMs: PERIOD_MS,
      graceMs: 1000,
      checkIntervalMs: 3_600_000,
      streams: [{ ...testStream(device), location: { region: "GB" } }],
    }),
    ipfs: { mode: "helia" },
    chain: undefined,
    oracleKey: undefined,
    logger: pino({ level: "silent" }),
    liveFactors,
  });
  try {
    // A reading every five minutes for two and a half hours: five half-hour periods.
    const readings: DeviceReading[] = Array.from({ length: 31 }, (_, index) => ({
      channel: 0,
      sequence: index,
      timestampMs: startMs + index * 300_000,
      energyImportedMilliWattHours: (1_000_000 + index * 250_000).toString(),
      energyExportedMilliWattHours: "0",
      quality: "measured",
    }));
    await writer.write([
      {
        deviceRef,
        transport: "http",
        receivedAtMs: Date.now(),
        message: device.sign(readings),
      },
    ]);
    const created = await services.closeNowWithFactors(startMs + 5 * PERIOD_MS + 2000);
    assert.equal(created, 5);
    const documents = services.containers
      .list({ limit: 10 })
      .reverse()
      .map((row) =>
        containerDocumentSchema.parse(
          JSON.parse(new TextDecoder().decode(services.containers.document(row.containerRef))),
        ),
      );
    return { documents, server };
  } finally {
    await services.close();
    await writer.close();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe("the container closer with the configured live grid source (UK Carbon Intensity API on loopback)", () => {
  it("resolves each period's hour from the API, one request for all due periods, and writes ei-container-v2", async () => {
    const { documents, server } = await closeWithUkSource(false);
    assert.equal(server.requests.length, 1, "one request covers every due period");
    for (const document of documents) {
      assert.equal(document.format, "ei-container-v2");
      const hour = document.hours[0];
      assert.ok(hour !== undefined);
      const factor = document.factors.find((entry) => entry.ref === hour.locationFactorRef);
      assert.equal(factor?.factor.datasetId, "live:uk-carbon-intensity");
      assert.equal(hour.locationFallback, undefined);
      assert.equal(hour.locationEstimated, true, "UK regional figures are forecasts");
      // The clock hour's factor is the mean of its two half-hours.
      const clock = Math.floor(hour.startMs / HOUR) * HOUR;
      const mean = (forecastFor(clock) + forecastFor(clock + HALF_HOUR)) / 2;
      assert.equal(factor.factor.value, String(mean));
      // 30 min at 3 kWh/h = 1.5 kWh; mg = mWh × g/kWh / 1000.
      assert.equal(hour.energyImportedMilliWattHours, "1500000");
      assert.equal(
        document.totals.emissionsLocationMilligramsCo2e,
        String((1_500_000 * mean) / 1000),
      );
      assert.deepEqual(document.flags.emissions.includes("factor-estimated"), true);
    }
  });

  it("a source outage: every hour falls back to the shipped DESNZ factor with the reason recorded", async () => {
    const { documents } = await closeWithUkSource(true);
    for (const document of documents) {
      assert.equal(document.format, "ei-container-v2");
      const hour = document.hours[0];
      assert.ok(hour !== undefined);
      assert.equal(hour.locationFallback?.sourceId, "uk-carbon-intensity");
      assert.equal(hour.locationFallback.reason, "http-error");
      assert.match(hour.locationFallback.detail, /503/u);
      const factor = document.factors.find((entry) => entry.ref === hour.locationFactorRef);
      assert.equal(factor?.factor.datasetId, "uk-desnz-2025");
      assert.ok(document.flags.emissions.includes("factor-live-fallback-to-shipped"));
      assert.equal(
        document.totals.emissionsLocationMilligramsCo2e,
        String((1_500_000 * 177) / 1000),
      );
    }
  });
});
