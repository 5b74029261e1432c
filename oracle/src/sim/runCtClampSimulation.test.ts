import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadGatewayConfig } from "../config/loadGatewayConfig.ts";
import { type Gateway, startGateway } from "../server.ts";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { ReadingsRepository } from "../store/readingsRepository.ts";
import { TEST_MACHINE_ID, TEST_SITE_ID } from "../testing/deviceFixture.ts";
import { LOAD_PROFILES } from "./ctClampDevice.ts";
import { runCtClampSimulation } from "./runCtClampSimulation.ts";

describe("runCtClampSimulation against a real gateway", () => {
  let dataDir: string;
  let gateway: Gateway;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "ei-sim-"));
    gateway = await startGateway(
      loadGatewayConfig({
        overrides: {
          dataDir,
          http: { port: 0 },
          mqtt: { mode: "embedded", port: 0 },
          log: { level: "silent" },
        },
      }),
    );
  });
  after(async () => {
    await gateway.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const transport of ["mqtt", "http"] as const) {
    it(`registers its devices and delivers every reading over ${transport}`, async () => {
      const readings = new ReadingsRepository(gateway.db);
      const before = readings.count();
      const profile = LOAD_PROFILES.compressor;
      assert.ok(profile);
      const result = await runCtClampSimulation({
        transport,
        url: transport === "mqtt" ? (gateway.mqttUrl ?? "") : gateway.httpUrl,
        siteId: TEST_SITE_ID,
        machineIdOf: () => TEST_MACHINE_ID,
        devices: 2,
        phases: 3,
        profile,
        count: 5,
        stepsPerMessage: 10,
        intervalMs: 1000,
        rate: 0,
        window: 4,
        seed: `sim-test-${transport}`,
        register: new DevicesRepository(gateway.db),
      });
      assert.deepEqual(result.rejected, {});
      assert.equal(result.acknowledged, 10);
      assert.equal(result.readings, 2 * 5 * 10 * 3);
      assert.equal(readings.count(), before + 300);
    });
  }
});
