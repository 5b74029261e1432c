import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startEmonSimulator } from "../sim/protocols/startEmonSimulator.ts";
import type { EmonSimulator } from "../sim/protocols/startEmonSimulator.ts";
import {
  type AdapterTestGateway,
  adapterDeviceId,
  startAdapterTestGateway,
} from "./testing/adapterTestGateway.ts";

const PRESS = adapterDeviceId("emon-press-3phase");
const PUMP = adapterDeviceId("emon-pump-no-voltage");

describe("emonTx v4 CT clamps → gateway → SQLite", () => {
  let serialBridge: EmonSimulator;
  let emonhub: EmonSimulator | undefined;
  let site: AdapterTestGateway;

  before(async () => {
    // A three-phase press: three CTs, one per phase, and three voltage sensors, on a serial line bridged to TCP.
    serialBridge = await startEmonSimulator({
      transport: { kind: "tcp" },
      watts: [1200, 1180, 1215],
      threePhaseVolts: [231.2, 229.8, 233.0],
      startWattHours: [5000, 4990, 5010],
      intervalMs: 100,
    });
    site = await startAdapterTestGateway({
      devices: [
        { deviceId: PRESS, kind: "ct-clamp", authScheme: "serial", channelCount: 3 },
        { deviceId: PUMP, kind: "ct-clamp", authScheme: "serial", channelCount: 1 },
      ],
      adapters: () => [
        {
          kind: "emon",
          name: "press",
          deviceId: PRESS,
          source: { transport: "tcp", host: serialBridge.host ?? "", port: serialBridge.port ?? 0 },
          voltageReference: true,
          channels: [
            { input: 1, channel: 0, phase: "L1" },
            { input: 2, channel: 1, phase: "L2", calibration: "1.01" },
            { input: 3, channel: 2, phase: "L3" },
          ],
        },
        {
          kind: "emon",
          name: "pump",
          deviceId: PUMP,
          source: { transport: "mqtt", node: "emontx4", frameQuietMs: 50 },
          voltageReference: false,
          channels: [{ input: 1, channel: 0 }],
        },
      ],
    });
    // emonhub on the gateway's own broker, a single-phase monitor without an AC adapter.
    emonhub = await startEmonSimulator({
      transport: { kind: "mqtt", url: site.gateway.mqttUrl ?? "" },
      node: "emontx4",
      watts: [750],
      startWattHours: [120_000],
      intervalMs: 200,
    });
  });
  after(async () => {
    await site.close();
    await serialBridge.close();
    await emonhub?.close();
  });

  it("three-phase machine over the serial line: one measured reading per phase with its own voltage", async () => {
    await site.waitFor("press readings", () => site.readings(PRESS).length >= 6);
    const readings = site.readings(PRESS);
    assert.ok(readings.every((r) => r.authScheme === "serial" && r.quality === "measured"));
    const firstFrame = readings.slice(0, 3);
    assert.deepEqual(
      firstFrame.map((r) => [r.channel, r.voltageMillivolts]),
      [
        [0, 231_200],
        [1, 229_800],
        [2, 233_000],
      ],
    );
    // CT 2 carries a 1.01 calibration factor on power and energy.
    const ct2 = firstFrame[1];
    assert.ok(ct2 !== undefined);
    assert.equal(ct2.powerMilliWatts, 1_191_800);
    assert.ok(ct2.imported >= 5_039_900n);
  });

  it("monitor without a voltage reference over emonhub MQTT: apparent-power readings flagged estimated", async () => {
    await site.waitFor("pump readings", () => site.readings(PUMP).length >= 2);
    const readings = site.readings(PUMP);
    assert.ok(readings.every((r) => r.quality === "estimated" && r.voltageMillivolts === null));
    assert.ok(readings.every((r) => r.powerMilliWatts === 750_000));
    assert.ok((readings[0]?.imported ?? 0n) >= 120_000_000n);
  });
});
