import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatDsmrTelegram } from "@energy-intelligence/sdk/protocols/dsmr/formatDsmrTelegram";
import { startP1TcpSimulator } from "../sim/protocols/startP1TcpSimulator.ts";
import type { P1TcpSimulator } from "../sim/protocols/startP1TcpSimulator.ts";
import { openPseudoTerminal, pseudoTerminalAvailable } from "./testing/pseudoTerminal.ts";
import type { PseudoTerminal } from "./testing/pseudoTerminal.ts";
import {
  type AdapterTestGateway,
  adapterDeviceId,
  startAdapterTestGateway,
} from "./testing/adapterTestGateway.ts";

const METER = adapterDeviceId("p1-meter");

describe("DSMR P1 over a ser2net-style TCP bridge → gateway → SQLite", () => {
  // The meter's clock: one telegram a simulated second, starting ten minutes ago.
  let clock = Date.now() - 600_000;
  let sim: P1TcpSimulator;
  let site: AdapterTestGateway;

  before(async () => {
    sim = await startP1TcpSimulator({
      intervalMs: 100,
      powerImportMilliWatts: 3_600_000,
      now: () => (clock += 1000),
    });
    site = await startAdapterTestGateway({
      devices: [{ deviceId: METER, kind: "smart-meter", authScheme: "serial", channelCount: 1 }],
      adapters: () => [
        {
          kind: "dsmr",
          name: "p1",
          deviceId: METER,
          source: { transport: "tcp", host: sim.host, port: sim.port },
          equipmentId: "53494D3030303031",
          silentAfterMs: 1000,
        },
      ],
    });
  });
  after(async () => {
    await site.close();
    await sim.close();
  });

  it("stores the meter's registers as serial, measured readings with the telegram's time", async () => {
    await site.waitFor("P1 readings", () => site.readings(METER).length >= 3);
    const readings = site.readings(METER);
    assert.ok(readings.every((r) => r.authScheme === "serial" && r.quality === "measured"));
    // 3.6 kW for one second per telegram: +1 Wh each.
    const [first, second] = readings;
    assert.ok(first !== undefined && second !== undefined);
    assert.equal(second.timestampMs - first.timestampMs, 1000);
    assert.equal(second.imported - first.imported, 1000n);
    assert.equal(first.powerMilliWatts, 3_600_000);
    assert.equal(first.voltageMillivolts, 230_000);
  });

  it("refuses a telegram with a bad CRC or from another meter, stores nothing of it, and reads on", async () => {
    const before = site.readings(METER).length;
    const telegram = (equipmentId: string): string =>
      formatDsmrTelegram({
        identification: "SIM5\\2P1TCP-SIM",
        equipmentId,
        timestampMs: Date.now() + 3_600_000,
        importedMilliWattHours: [999_999_999_000n, 0n],
        exportedMilliWattHours: [0n, 0n],
        powerImportMilliWatts: 1,
        powerExportMilliWatts: 0,
      });
    sim.inject(telegram("53494D3030303031").replace("999999.999", "999999.998"));
    sim.inject(telegram("4F5448455233"));
    await site.waitFor(
      "the refusals",
      () => (site.gateway.adapters.health.get(METER)?.framesRejected ?? 0) >= 2,
    );
    await site.waitFor("more readings", () => site.readings(METER).length > before + 2);
    assert.ok(site.readings(METER).every((r) => r.imported < 999_999_000_000n));
    const refusal = site.events(METER).find((e) => e.kind === "adapter_frame_rejected");
    assert.equal(refusal?.detail.reason, "bad-crc");
    const metrics = await site.gateway.app.inject({ method: "GET", url: "/metrics" });
    assert.match(
      metrics.body,
      /ei_adapter_frames_rejected_total\{adapter="p1",reason="bad-crc"\} 1/u,
    );
    assert.match(
      metrics.body,
      /ei_adapter_frames_rejected_total\{adapter="p1",reason="bad-header"\} 1/u,
    );
  });

  it("a meter that goes silent is degraded with an open gap, and the gap closes when it sends again", async () => {
    sim.setSilent(true);
    await site.waitFor(
      "silent meter degraded",
      () => site.gateway.adapters.health.get(METER)?.state === "degraded",
      5000,
    );
    const api = await site.gateway.app.inject({ method: "GET", url: "/v1/adapters" });
    assert.match(api.body, /"state":"degraded"/u);
    sim.setSilent(false);
    await site.waitFor("meter back", () => site.gateway.adapters.health.get(METER)?.state === "ok");
    const gap = site.events(METER).find((e) => e.kind === "adapter_gap");
    assert.ok(gap !== undefined);
    assert.equal(gap.detail.lastError, "bad-header");
  });
});

describe(
  "DSMR P1 from a serial port (a pseudo-terminal standing in for the P1 cable)",
  {
    skip: pseudoTerminalAvailable() ? false : "python3 is needed to open a pty",
  },
  () => {
    const SERIAL_METER = adapterDeviceId("p1-serial-meter");
    let tty: PseudoTerminal;
    let site: AdapterTestGateway;

    before(async () => {
      tty = await openPseudoTerminal();
      site = await startAdapterTestGateway({
        devices: [
          { deviceId: SERIAL_METER, kind: "smart-meter", authScheme: "serial", channelCount: 1 },
        ],
        adapters: () => [
          {
            kind: "dsmr",
            name: "p1-serial",
            deviceId: SERIAL_METER,
            source: { transport: "serial", path: tty.path, baudRate: 115_200 },
          },
        ],
      });
    });
    after(async () => {
      await site.close();
      await tty.close();
    });

    it("reads telegrams split at arbitrary bytes off the tty and stores them", async () => {
      const start = Date.now() - 60_000;
      const telegrams = [0, 1, 2].map((i) =>
        formatDsmrTelegram({
          identification: "SIM5\\2P1-SERIAL",
          equipmentId: "53494D3030303032",
          timestampMs: start + i * 1000,
          importedMilliWattHours: [5_000_000n + BigInt(i) * 1000n, 0n],
          exportedMilliWattHours: [0n, 0n],
          powerImportMilliWatts: 3_600_000,
          powerExportMilliWatts: 0,
        }),
      );
      // The adapter opens the port in the background; repeat until it reads (re-sent telegrams are stale).
      await site.waitFor("serial readings", () => {
        const bytes = telegrams.join("");
        tty.write(bytes.slice(0, 17));
        tty.write(bytes.slice(17));
        return site.readings(SERIAL_METER).length === 3;
      });
      const readings = site.readings(SERIAL_METER);
      assert.deepEqual(
        readings.map((r) => r.imported),
        [5_000_000n, 5_001_000n, 5_002_000n],
      );
      assert.ok(readings.every((r) => r.authScheme === "serial" && r.quality === "measured"));
    });
  },
);
