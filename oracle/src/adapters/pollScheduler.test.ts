import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  EASTRON_SDM630_MAP,
  parseModbusRegisterMap,
} from "@energy-intelligence/sdk/protocols/index";
import { startModbusMeterSimulator } from "../sim/protocols/startModbusMeterSimulator.ts";
import type { ModbusMeterSimulator } from "../sim/protocols/startModbusMeterSimulator.ts";
import { startRedfishPduSimulator } from "../sim/protocols/startRedfishPduSimulator.ts";
import type { RedfishPduSimulator } from "../sim/protocols/startRedfishPduSimulator.ts";
import { startSnmpPduSimulator } from "../sim/protocols/startSnmpPduSimulator.ts";
import type { SnmpPduSimulator } from "../sim/protocols/startSnmpPduSimulator.ts";
import { startSunSpecModbusSimulator } from "../sim/protocols/startSunSpecModbusSimulator.ts";
import type { SunSpecModbusSimulator } from "../sim/protocols/startSunSpecModbusSimulator.ts";
import {
  type AdapterTestGateway,
  adapterDeviceId,
  startAdapterTestGateway,
} from "./testing/adapterTestGateway.ts";

const fast = { intervalMs: 150, timeoutMs: 100, retries: 1, backoffMs: 20, maxBackoffMs: 40 };
const SUNSPEC = adapterDeviceId("sunspec-inverter");
const MODBUS = adapterDeviceId("sdm630");
const SNMP = adapterDeviceId("apc-pdu");
const REDFISH = adapterDeviceId("redfish-pdu");

describe("polled adapters: simulator → poll scheduler → ingest → SQLite", () => {
  let sunspec: SunSpecModbusSimulator;
  let modbus: ModbusMeterSimulator;
  let snmp: SnmpPduSimulator;
  let redfish: RedfishPduSimulator;
  let site: AdapterTestGateway;

  before(async () => {
    sunspec = await startSunSpecModbusSimulator({ inverterWatts: 3600 });
    modbus = await startModbusMeterSimulator({
      map: parseModbusRegisterMap(EASTRON_SDM630_MAP),
      watts: 2000,
      startImportWattHours: 1_234_500,
    });
    snmp = await startSnmpPduSimulator({
      profile: "apc-rpdu2",
      outletWatts: [200, 1000],
      community: "ei-read",
    });
    redfish = await startRedfishPduSimulator({ outletWatts: [300, 800] });
    site = await startAdapterTestGateway({
      devices: [
        { deviceId: SUNSPEC, kind: "pv-inverter", authScheme: "polled", channelCount: 2 },
        { deviceId: MODBUS, kind: "sub-meter", authScheme: "polled", channelCount: 1 },
        { deviceId: SNMP, kind: "pdu", authScheme: "polled", channelCount: 3 },
        { deviceId: REDFISH, kind: "pdu", authScheme: "polled", channelCount: 3 },
      ],
      secrets: { community: "ei-read", redfish: "ei-reader-password" },
      adapters: (secret) => [
        {
          kind: "sunspec",
          name: "inverter",
          deviceId: SUNSPEC,
          host: sunspec.host,
          port: sunspec.port,
          unitId: sunspec.inverterUnitId,
          serialNumber: "INV-0001",
          // A model walk is several sequential reads: ~90 ms on a loaded test machine.
          schedule: { ...fast, intervalMs: 600, timeoutMs: 500 },
        },
        {
          kind: "modbus",
          name: "sdm630",
          deviceId: MODBUS,
          connection: { transport: "tcp", host: modbus.host, port: modbus.port },
          unitId: 1,
          map: "eastron-sdm630",
          schedule: fast,
        },
        {
          kind: "snmp",
          name: "apc-pdu",
          deviceId: SNMP,
          host: snmp.host,
          port: snmp.port,
          profile: "apc-rpdu2",
          auth: { version: "v2c", communityFile: secret("community") },
          schedule: { ...fast, intervalMs: 250, timeoutMs: 200 },
        },
        {
          kind: "redfish",
          name: "redfish-pdu",
          deviceId: REDFISH,
          url: redfish.url,
          pduId: "1",
          auth: { mode: "session", userName: "ei-reader", passwordFile: secret("redfish") },
          // Seven sequential requests per poll: generous on a loaded test machine.
          schedule: { ...fast, intervalMs: 600, timeoutMs: 500 },
        },
      ],
    });
  });
  after(async () => {
    await site.close();
    await Promise.all([sunspec.close(), modbus.close(), snmp.close(), redfish.close()]);
  });

  it("stores each kind's readings as polled, measured, over the adapter transport", async () => {
    for (const deviceId of [SUNSPEC, MODBUS, SNMP, REDFISH]) {
      await site.waitFor(`readings of ${deviceId}`, () => site.readings(deviceId).length >= 2);
      const readings = site.readings(deviceId);
      assert.ok(readings.every((r) => r.authScheme === "polled" && r.transport === "adapter"));
      assert.ok(readings.every((r) => r.quality === "measured"));
      // Consecutive sequences: the sink continues the series, ingest sees no gaps.
      readings.forEach((r, index) => {
        assert.equal(r.sequence, index);
      });
    }
    const [inverter] = site.readings(SUNSPEC);
    assert.ok(inverter !== undefined && inverter.exported >= 1_000_000_000n);
    const [meter] = site.readings(MODBUS);
    assert.ok(meter !== undefined && meter.imported >= 1_234_500_000n);
    assert.deepEqual([...new Set(site.readings(SNMP).map((r) => r.channel))].sort(), [0, 1, 2]);
    assert.ok(site.events(SUNSPEC).every((e) => e.kind !== "sequence_gap"));
  });

  it("a device that stops answering is degraded with a gap, none filled in, and recovers", async () => {
    await site.waitFor(
      "redfish ok",
      () => site.gateway.adapters.health.get(REDFISH)?.state === "ok",
    );
    redfish.setStalled(true);
    await site.waitFor(
      "redfish degraded",
      () => site.gateway.adapters.health.get(REDFISH)?.state === "degraded",
    );
    const stalledCount = site.readings(REDFISH).length;
    const api = await site.gateway.app.inject({ method: "GET", url: "/v1/adapters" });
    const body: {
      devices: { deviceId: string; state: string; lastError: { reason: string } | null }[];
    } = api.json();
    const listed = body.devices.find((d) => d.deviceId === REDFISH);
    assert.equal(listed?.state, "degraded");
    assert.equal(listed.lastError?.reason, "timeout");
    const metrics = await site.gateway.app.inject({ method: "GET", url: "/metrics" });
    assert.match(
      metrics.body,
      new RegExp(`ei_adapter_device_degraded\\{adapter="redfish-pdu",device_id="${REDFISH}"\\} 1`),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(site.readings(REDFISH).length, stalledCount, "nothing stored while it is down");
    redfish.setStalled(false);
    await site.waitFor(
      "redfish back",
      () => site.gateway.adapters.health.get(REDFISH)?.state === "ok",
    );
    await site.waitFor("readings again", () => site.readings(REDFISH).length > stalledCount);
    const kinds = site.events(REDFISH).map((e) => e.kind);
    assert.deepEqual(kinds.filter((k) => k.startsWith("adapter_")).slice(-2), [
      "adapter_degraded",
      "adapter_gap",
    ]);
    const gap = site.events(REDFISH).find((e) => e.kind === "adapter_gap")?.detail;
    assert.ok(gap !== undefined && Number(gap.toMs) > Number(gap.fromMs));
    assert.equal(gap.lastError, "timeout");
    const eventsApi = await site.gateway.app.inject({
      method: "GET",
      url: `/v1/devices/${REDFISH}/events`,
    });
    assert.ok(eventsApi.body.includes("adapter_gap"));
  });

  it("a silent Modbus unit is a timeout, and a meter reset continues in a new counter epoch", async () => {
    modbus.setSilent(1, true);
    await site.waitFor(
      "modbus degraded",
      () => site.gateway.adapters.health.get(MODBUS)?.state === "degraded",
    );
    assert.equal(site.gateway.adapters.health.get(MODBUS)?.lastError?.reason, "timeout");
    modbus.resetCounters();
    modbus.setSilent(1, false);
    await site.waitFor("reset reading", () =>
      site.readings(MODBUS).some((r) => r.counterEpoch === 1),
    );
    const readings = site.readings(MODBUS);
    const reset = readings.find((r) => r.counterEpoch === 1);
    assert.ok(
      reset !== undefined && reset.imported < 1_000_000_000n,
      "the reset value, not a zero fill",
    );
    const kinds = site.events(MODBUS).map((e) => e.kind);
    assert.ok(kinds.includes("counter_reset"), kinds.join());
    assert.ok(kinds.includes("adapter_counter_reset"));
    assert.ok(kinds.includes("adapter_gap"));
  });
});
