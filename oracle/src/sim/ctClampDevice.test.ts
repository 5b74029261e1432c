import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseDeviceMessage, verifyDeviceMessage } from "@energy-intelligence/sdk";
import { CtClampDevice, LOAD_PROFILES } from "./ctClampDevice.ts";

const profile = LOAD_PROFILES["cnc-mill"];

describe("CtClampDevice", () => {
  it("integrates its own power exactly into rising per-phase counters", () => {
    assert.ok(profile);
    const device = new CtClampDevice({ seed: "t", index: 0, phases: 3, profile, startMs: 0 });
    let integratedMilliWattMs = [0, 0, 0];
    const previous = [0n, 0n, 0n];
    const states = new Set<string>();
    for (let step = 0; step < 20_000; step++) {
      const readings = device.step(1000);
      states.add(device.state);
      assert.equal(readings.length, 3);
      for (const reading of readings) {
        const counter = BigInt(reading.energyImportedMilliWattHours);
        assert.ok(counter >= (previous[reading.channel] ?? 0n));
        previous[reading.channel] = counter;
        integratedMilliWattMs[reading.channel] =
          (integratedMilliWattMs[reading.channel] ?? 0) + (reading.powerMilliWatts ?? 0) * 1000;
      }
    }
    integratedMilliWattMs = integratedMilliWattMs.map((value) => Math.floor(value / 3_600_000));
    assert.deepEqual(device.energyMilliWattHours.map(Number), integratedMilliWattMs);
    assert.deepEqual([...states].sort(), ["idle", "peak", "run"]);
  });

  it("numbers readings consecutively across phases and signs messages the sdk verifies", () => {
    assert.ok(profile);
    const device = new CtClampDevice({ seed: "t", index: 1, phases: 1, profile, startMs: 1_000 });
    const readings = [...device.step(1000), ...device.step(1000)];
    assert.deepEqual(
      readings.map((r) => [r.channel, r.sequence, r.timestampMs]),
      [
        [0, 0, 2000],
        [0, 1, 3000],
      ],
    );
    const message = parseDeviceMessage(JSON.parse(JSON.stringify(device.sign(readings))));
    assert.equal(verifyDeviceMessage({ message, publicKey: device.publicKey }), true);
  });

  it("carries on from a stored sequence and counters, as a monitor does after a power cycle", () => {
    assert.ok(profile);
    const resumeAt = { nextSequence: 3_000, energyMilliWattHours: [7_000n, 8_000n, 9_000n] };
    const device = new CtClampDevice({
      seed: "t",
      index: 0,
      phases: 3,
      profile,
      startMs: 0,
      resumeAt,
    });
    const readings = device.step(1000);
    assert.deepEqual(
      readings.map((r) => r.sequence),
      [3_000, 3_001, 3_002],
    );
    for (const reading of readings) {
      const stored = resumeAt.energyMilliWattHours[reading.channel] ?? 0n;
      assert.ok(BigInt(reading.energyImportedMilliWattHours) >= stored);
    }
    // The same identity as before the power cycle: the gateway knows its key.
    const fresh = new CtClampDevice({ seed: "t", index: 0, phases: 3, profile, startMs: 0 });
    assert.equal(device.deviceId, fresh.deviceId);
    assert.equal(device.publicKey, fresh.publicKey);
  });

  it("is reproducible from its seed", () => {
    assert.ok(profile);
    const a = new CtClampDevice({ seed: "s", index: 2, phases: 3, profile, startMs: 0 });
    const b = new CtClampDevice({ seed: "s", index: 2, phases: 3, profile, startMs: 0 });
    assert.deepEqual(a.step(1000), b.step(1000));
    assert.equal(a.deviceId, b.deviceId);
  });
});
