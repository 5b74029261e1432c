import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startPulseCounterSimulator } from "../sim/protocols/startPulseCounterSimulator.ts";
import type { PulseCounterSimulator } from "../sim/protocols/startPulseCounterSimulator.ts";
import { parsePulseCount } from "./pulseMqttAdapter.ts";
import {
  type AdapterTestGateway,
  adapterDeviceId,
  startAdapterTestGateway,
} from "./testing/adapterTestGateway.ts";

const METER = adapterDeviceId("s0-meter");

describe("parsePulseCount", () => {
  it("reads Tasmota's COUNTER object and plain counts, refusing anything else by reason", () => {
    assert.equal(
      parsePulseCount("tasmota", "C1", '{"Time":"2026-01-01T00:00:00","COUNTER":{"C1":42}}'),
      42n,
    );
    assert.equal(parsePulseCount("plain", "C1", "1234\n"), 1234n);
    assert.throws(() => parsePulseCount("tasmota", "C2", '{"COUNTER":{"C1":1}}'), {
      reason: "missing-field",
    });
    assert.throws(() => parsePulseCount("tasmota", "C1", "{"), { reason: "malformed-json" });
    assert.throws(() => parsePulseCount("plain", "C1", "-5"), { reason: "bad-value" });
  });
});

describe("S0 pulse counter over MQTT (Tasmota) → gateway → SQLite", () => {
  let counter: PulseCounterSimulator | undefined;
  let site: AdapterTestGateway;
  // The counter's clock, moved by the test: 36 s at 10 kW and 1000 imp/kWh = 100 pulses.
  let clock = Date.now();
  const publishAfter36s = async (): Promise<void> => {
    clock += 36_000;
    await counter?.tick();
  };
  /** Publishes one at a time until `stored` holds: the adapter subscribes in the background. */
  const publishUntil = async (what: string, stored: () => boolean): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!stored()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await publishAfter36s();
      await site.waitFor(what, stored, 300).catch(() => undefined);
    }
  };

  before(async () => {
    site = await startAdapterTestGateway({
      devices: [{ deviceId: METER, kind: "pulse-meter", authScheme: "serial", channelCount: 1 }],
      adapters: () => [
        {
          kind: "pulse",
          name: "s0",
          deviceId: METER,
          format: "tasmota",
          inputs: [{ channel: 0, topic: "tele/s0-counter/SENSOR", pulsesPerKilowattHour: 1000 }],
        },
      ],
    });
    counter = await startPulseCounterSimulator({
      url: site.gateway.mqttUrl ?? "",
      topic: "s0-counter",
      watts: 10_000,
      pulsesPerKilowattHour: 1000,
      startCount: 5000,
      intervalMs: 3_600_000,
      now: () => clock,
    });
  });
  after(async () => {
    await counter?.close();
    await site.close();
  });

  it("turns cumulative counts into measured energy, and loses no pulse when the counter restarts", async () => {
    await publishUntil("first pulse reading", () => site.readings(METER).length > 0);
    const first = site.readings(METER)[0];
    for (let i = 0; i < 2; i++) {
      await publishAfter36s();
      await site.waitFor("next reading", () => site.readings(METER).length >= i + 2);
    }
    counter?.restart(); // reboots without saving: the count starts again at 0
    for (let i = 0; i < 3; i++) {
      await publishAfter36s();
      await site.waitFor("reading after restart", () => site.readings(METER).length >= i + 4);
    }
    const readings = site.readings(METER);
    assert.ok(readings.every((r) => r.authScheme === "serial" && r.quality === "measured"));
    assert.ok(site.events(METER).some((e) => e.kind === "adapter_counter_reset"));
    // Energy keeps rising through the restart: no counter epoch, no refusal, no pulse lost.
    for (let index = 1; index < readings.length; index++) {
      assert.equal(
        (readings[index]?.imported ?? 0n) - (readings[index - 1]?.imported ?? 0n),
        100_000n,
      );
    }
    assert.ok(readings.every((r) => r.counterEpoch === null));
    assert.equal(
      (readings.at(-1)?.imported ?? 0n) - (first?.imported ?? 0n),
      BigInt(readings.length - 1) * 100_000n,
    );
  });

  it("continues across a gateway restart: pulse total from its state file, sequences from the store", async () => {
    const before = site.readings(METER).length;
    await site.restart();
    // Counts are cumulative: publishes made before the adapter resubscribed lose nothing.
    await publishUntil("a reading after the restart", () => site.readings(METER).length > before);
    const count = site.readings(METER).length;
    await publishAfter36s();
    await site.waitFor("the last publish", () => site.readings(METER).length > count);
    const readings = site.readings(METER);
    assert.deepEqual(
      readings.map((r) => r.sequence),
      readings.map((_, index) => index),
    );
    // Every pulse the counter ever counted (5000 at the start, then before and after both restarts), 1 Wh each.
    assert.equal(readings.at(-1)?.imported, BigInt(5000 + (counter?.totalPulses ?? 0)) * 1000n);
    const kinds = site.events(METER).map((e) => e.kind);
    assert.ok(!kinds.includes("counter_backwards") && !kinds.includes("replayed_sequence"));
  });
});
