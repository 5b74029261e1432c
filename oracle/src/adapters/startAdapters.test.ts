import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InvalidInputError } from "@energy-intelligence/sdk";
import {
  EASTRON_SDM630_MAP,
  parseModbusRegisterMap,
} from "@energy-intelligence/sdk/protocols/index";
import { loadGatewayConfig } from "../config/loadGatewayConfig.ts";
import { startGateway } from "../server.ts";
import { DevicesRepository } from "../store/devicesRepository.ts";
import { openStore } from "../store/openStore.ts";
import { TEST_MACHINE_ID, TEST_SITE_ID } from "../testing/deviceFixture.ts";
import { startModbusMeterSimulator } from "../sim/protocols/startModbusMeterSimulator.ts";
import type { ModbusMeterSimulator } from "../sim/protocols/startModbusMeterSimulator.ts";
import {
  type AdapterTestGateway,
  adapterDeviceId,
  startAdapterTestGateway,
} from "./testing/adapterTestGateway.ts";

const METER = adapterDeviceId("container-meter");

describe("adapters configuration", () => {
  const base = { dataDir: "unused", log: { level: "silent" } };
  const issue = (adapters: unknown): string => {
    try {
      loadGatewayConfig({ overrides: { ...base, adapters } });
    } catch (error) {
      assert.ok(error instanceof InvalidInputError);
      return error.message;
    }
    return "accepted";
  };
  const modbus = {
    kind: "modbus",
    name: "m1",
    deviceId: METER,
    connection: { transport: "tcp", host: "10.0.0.5" },
    map: "eastron-sdm630",
  };

  it("accepts a valid list with defaults filled in", () => {
    const config = loadGatewayConfig({ overrides: { ...base, adapters: [modbus] } });
    const [adapter] = config.adapters;
    assert.ok(adapter?.kind === "modbus");
    assert.deepEqual(adapter.schedule, {
      intervalMs: 10_000,
      timeoutMs: 3000,
      retries: 2,
      backoffMs: 500,
      maxBackoffMs: 5000,
    });
    assert.deepEqual(loadGatewayConfig({ overrides: base }).adapters, []);
  });

  it("names the field of each mistake", () => {
    assert.match(
      issue([{ ...modbus, deviceId: "meter-1" }]),
      /adapters\.0\.deviceId.*registered device id/u,
    );
    assert.match(issue([{ ...modbus, map: "abb-b23" }]), /adapters\.0\.map/u);
    assert.match(
      issue([{ ...modbus, schedule: { intervalMs: 1000, timeoutMs: 2000 } }]),
      /timeoutMs must be shorter/u,
    );
    assert.match(
      issue([modbus, { ...modbus, deviceId: adapterDeviceId("other") }]),
      /adapters\.1\.name.*already used/u,
    );
    assert.match(issue([modbus, { ...modbus, name: "m2" }]), /already fed by adapter m1/u);
    assert.match(
      issue([
        {
          kind: "emon",
          name: "e",
          deviceId: METER,
          source: { transport: "mqtt", node: "emontx4" },
          channels: [{ input: 1, channel: 0 }],
        },
      ]),
      /adapters\.0\.voltageReference/u,
    );
    assert.match(
      issue([
        {
          kind: "lora",
          name: "l",
          networkServer: "ttn",
          secretFile: "s",
          devices: [{ devEui: "xyz", deviceId: METER }],
        },
      ]),
      /adapters\.0\.devices\.0\.devEui.*16 hex digits/u,
    );
  });

  it("refuses at start a device that is not registered, or registered with another auth scheme", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "ei-adapters-config-"));
    try {
      const start = () =>
        startGateway(
          loadGatewayConfig({
            overrides: {
              dataDir,
              http: { port: 0 },
              mqtt: { mode: "off" },
              log: { level: "silent" },
              adapters: [modbus],
            },
          }),
        );
      await assert.rejects(start, /adapters\.0\.deviceId.*not registered/u);
      const db = openStore({ dataDir });
      new DevicesRepository(db).add({
        deviceId: METER,
        siteId: TEST_SITE_ID,
        machineId: TEST_MACHINE_ID,
        kind: "sub-meter",
        authScheme: "serial",
        channelCount: 1,
      });
      db.close();
      await assert.rejects(start, /registered as serial; a modbus adapter needs polled/u);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("a polled meter all the way to a closed interval container", () => {
  let sim: ModbusMeterSimulator;
  let site: AdapterTestGateway;

  before(async () => {
    sim = await startModbusMeterSimulator({
      map: parseModbusRegisterMap(EASTRON_SDM630_MAP),
      watts: 3600,
      startImportWattHours: 10_000,
    });
    site = await startAdapterTestGateway({
      devices: [{ deviceId: METER, kind: "sub-meter", authScheme: "polled", channelCount: 1 }],
      adapters: () => [
        {
          kind: "modbus",
          name: "sdm630",
          deviceId: METER,
          connection: { transport: "tcp", host: sim.host, port: sim.port },
          map: "eastron-sdm630",
          schedule: { intervalMs: 200, timeoutMs: 150, retries: 1, backoffMs: 20 },
        },
      ],
      overrides: {
        containers: {
          periodMs: 1000,
          graceMs: 0,
          checkIntervalMs: 50,
          streams: [
            {
              siteId: TEST_SITE_ID,
              streamId: `0x${"ad".repeat(32)}`,
              channels: [{ deviceId: METER, channel: 0 }],
              location: { region: "DE" },
            },
          ],
        },
      },
    });
  });
  after(async () => {
    await site.close();
    await sim.close();
  });

  it("closes containers over the adapter's readings, with the document on IPFS", async () => {
    const listed = async () =>
      (await site.gateway.app.inject({ method: "GET", url: "/v1/containers?limit=50" })).json<{
        containers: { containerId: string; cid: string; state: string; readingCount?: number }[];
      }>().containers;
    await site.waitFor("readings", () => site.readings(METER).length >= 10, 20_000);
    let containers: Awaited<ReturnType<typeof listed>> = [];
    await site.waitFor(
      "a container with readings",
      () => {
        void listed().then((list) => {
          containers = list;
        });
        return containers.length > 0;
      },
      20_000,
    );
    const [container] = containers;
    assert.ok(container !== undefined);
    const document = await site.gateway.app.inject({
      method: "GET",
      url: `/ipfs/${container.cid}`,
    });
    assert.equal(document.statusCode, 200);
    const body = document.body;
    assert.match(body, /"format":"ei-container-v1"/u);
    assert.ok(body.includes(METER), "the container names the adapter-fed device");
  });
});
