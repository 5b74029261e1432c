import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  EASTRON_SDM630_MAP,
  parseModbusRegisterMap,
} from "@energy-intelligence/sdk/protocols/index";
import { startModbusRtuMeterSimulator } from "../sim/protocols/startModbusRtuMeterSimulator.ts";
import type { ModbusRtuMeterSimulator } from "../sim/protocols/startModbusRtuMeterSimulator.ts";
import { openPseudoTerminalPair, pseudoTerminalAvailable } from "./testing/pseudoTerminal.ts";
import type { PseudoTerminalPair } from "./testing/pseudoTerminal.ts";
import {
  type AdapterTestGateway,
  adapterDeviceId,
  startAdapterTestGateway,
} from "./testing/adapterTestGateway.ts";

const METER = adapterDeviceId("sdm630-rtu");
const UNIT_ID = 7;

describe(
  "Modbus RTU: SDM630 simulator on a serial line (pty pair) → modbus adapter → ingest → SQLite",
  { skip: pseudoTerminalAvailable() ? false : "python3 is needed to open a pty" },
  () => {
    let line: PseudoTerminalPair;
    let sim: ModbusRtuMeterSimulator;
    let site: AdapterTestGateway;

    before(async () => {
      line = await openPseudoTerminalPair();
      sim = await startModbusRtuMeterSimulator({
        path: line.devicePath,
        map: parseModbusRegisterMap(EASTRON_SDM630_MAP),
        watts: 2000,
        startImportWattHours: 1_234_500,
      });
      site = await startAdapterTestGateway({
        devices: [{ deviceId: METER, kind: "sub-meter", authScheme: "polled", channelCount: 1 }],
        adapters: () => [
          {
            kind: "modbus",
            name: "sdm630-rtu",
            deviceId: METER,
            connection: {
              transport: "serial",
              path: line.gatewayPath,
              baudRate: 9600,
              parity: "none",
            },
            unitId: UNIT_ID,
            map: "eastron-sdm630",
            schedule: {
              intervalMs: 300,
              timeoutMs: 250,
              retries: 1,
              backoffMs: 20,
              maxBackoffMs: 40,
            },
          },
        ],
      });
    });
    after(async () => {
      await site.close();
      await sim.close();
      await line.close();
    });

    it("stores the meter's registers read over RTU as polled, measured readings", async () => {
      await site.waitFor("RTU readings", () => site.readings(METER).length >= 3);
      const readings = site.readings(METER);
      assert.ok(readings.every((r) => r.authScheme === "polled" && r.quality === "measured"));
      readings.forEach((r, index) => {
        assert.equal(r.sequence, index);
      });
      const [first] = readings;
      // SDM630 float32 kWh at 1,234.5 kWh: exact to the Wh, as the display shows it.
      assert.ok(first !== undefined && first.imported >= 1_234_500_000n);
      assert.ok(first.imported < 1_234_600_000n);
      assert.equal(first.powerMilliWatts, 2_000_000);
      assert.equal(site.gateway.adapters.health.get(METER)?.state, "ok");
    });

    it("responses with a bad CRC: degraded as bad-crc, nothing stored from them, and a gap when they stop", async () => {
      sim.setCorruptResponses(true);
      await site.waitFor(
        "degraded by CRC errors",
        () => site.gateway.adapters.health.get(METER)?.state === "degraded",
      );
      const status = site.gateway.adapters.health.get(METER);
      assert.equal(status?.lastError?.reason, "bad-crc");
      assert.match(status.lastError.detail, /fc4@\d+: modbus bad-crc/u);
      const stored = site.readings(METER).length;
      await new Promise((resolve) => setTimeout(resolve, 700));
      assert.equal(site.readings(METER).length, stored, "nothing stored while the CRC is wrong");
      sim.setCorruptResponses(false);
      await site.waitFor("recovered", () => site.readings(METER).length > stored);
      const events = site.events(METER);
      const degraded = events.find((e) => e.kind === "adapter_degraded");
      assert.equal(degraded?.detail.reason, "bad-crc");
      const gap = events.find((e) => e.kind === "adapter_gap");
      assert.ok(gap !== undefined && Number(gap.detail.toMs) > Number(gap.detail.fromMs));
    });

    it("a unit that stops answering on the bus is a timeout, and polling recovers", async () => {
      await site.waitFor("ok", () => site.gateway.adapters.health.get(METER)?.state === "ok");
      sim.setSilent(UNIT_ID, true);
      await site.waitFor(
        "degraded by silence",
        () => site.gateway.adapters.health.get(METER)?.state === "degraded",
      );
      assert.equal(site.gateway.adapters.health.get(METER)?.lastError?.reason, "timeout");
      const stored = site.readings(METER).length;
      sim.setSilent(UNIT_ID, false);
      await site.waitFor("answering again", () => site.readings(METER).length > stored);
      assert.equal(
        site.events(METER).filter((e) => e.kind === "adapter_gap").length,
        2,
        "one gap per outage",
      );
      assert.ok(site.events(METER).every((e) => e.kind !== "sequence_gap"));
    });
  },
);
