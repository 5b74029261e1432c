import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { pino } from "pino";
import { startAnchoringServices } from "../anchor/startAnchoringServices.ts";
import { testStream } from "../anchor/testing/anchoringFixture.ts";
import { createInlineWriter } from "../ingest/inlineWriter.ts";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { openStore } from "../store/openStore.ts";
import { TestDevice } from "../testing/deviceFixture.ts";
import { containersConfigSchema } from "./containersConfigSchema.ts";

const PERIOD_MS = 10_000;
const BACKLOG_PERIODS = 12;

/** A gateway store holding a backlog of due periods on two streams, with its closer. */
async function backlog(startMs: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ei-backlog-"));
  const db = openStore({ dataDir });
  const devices = [0, 1].map((index) => new TestDevice(index, { channelCount: 1, startMs }));
  const writer = createInlineWriter(db);
  for (const device of devices) {
    device.register(new DevicesRepository(db));
    const deviceRef = new DevicesRepository(db).get(device.deviceId)?.deviceRef ?? 0;
    // One reading a second, past the end of the last due period.
    for (let message = 0; message < 3; message++) {
      await writer.write([
        { deviceRef, transport: "http", receivedAtMs: Date.now(), message: device.message(45) },
      ]);
    }
  }
  const services = await startAnchoringServices({
    db,
    dataDir,
    containers: containersConfigSchema.parse({
      periodMs: PERIOD_MS,
      graceMs: 1000,
      checkIntervalMs: 3_600_000,
      // Two streams (the fixture's stream id, made distinct per device).
      streams: devices.map((device, index) => ({
        ...testStream(device),
        streamId: `0x${(index + 1).toString(16).padStart(64, "0")}`,
      })),
    }),
    ipfs: { mode: "helia" },
    chain: undefined,
    oracleKey: undefined,
    logger: pino({ level: "silent" }),
  });
  return {
    services,
    async close() {
      await services.close();
      await writer.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a closer created, without what differs per store (salts, so roots and CIDs). */
function createdPeriods(services: Awaited<ReturnType<typeof backlog>>["services"]) {
  return services.containers
    .list({ limit: 100 })
    .map((row) => {
      const header = JSON.parse(row.header) as {
        streamId: string;
        periodStartMs: number;
        readingCount: number;
        energyImportedMilliWattHours: string;
      };
      return `${header.streamId}@${header.periodStartMs}: ${header.readingCount} readings, ${header.energyImportedMilliWattHours} mWh`;
    })
    .sort();
}

describe("closing a backlog of due periods (the gateway's timer after downtime)", () => {
  it("yields to the event loop after every container, and creates what one synchronous pass creates", async () => {
    const startMs = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS - 20 * PERIOD_MS;
    const nowMs = startMs + BACKLOG_PERIODS * PERIOD_MS + PERIOD_MS / 2;
    const yielding = await backlog(startMs);
    const synchronous = await backlog(startMs);
    try {
      // Ingest, adapter polls and API requests are other event-loop turns: count the turns that
      // ran while the pass was under way.
      let turns = 0;
      const pass = { running: true };
      const turning = (async () => {
        while (pass.running) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          turns++;
        }
      })();
      const created = await yielding.services.closer.closeDueYielding(nowMs);
      pass.running = false;
      await turning;
      assert.equal(created, 2 * BACKLOG_PERIODS);
      assert.ok(turns >= created, `${turns} event-loop turns during ${created} containers`);

      assert.equal(synchronous.services.closeNow(nowMs), created);
      assert.deepEqual(createdPeriods(yielding.services), createdPeriods(synchronous.services));
      // The backlog is gone: a second pass has nothing left to close.
      assert.equal(await yielding.services.closer.closeDueYielding(nowMs), 0);
    } finally {
      await yielding.close();
      await synchronous.close();
    }
  });
});
