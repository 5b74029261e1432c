import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidInputError } from "../errors/index.ts";
import { integratePowerEnergy } from "./integratePowerEnergy.ts";

const LATER = Number.MAX_SAFE_INTEGER;

describe("integratePowerEnergy", () => {
  it("integrates a ramp exactly by the trapezoid rule (worked example)", () => {
    // Power ramps linearly from 0 W at t = 0 to 2 W (2_000 mW) at t = 1 h (3_600_000 ms).
    // Trapezoid: (0 + 2_000) mW / 2 · 3_600_000 ms = 3_600_000_000 mW·ms = 1_000 mWh.
    // Cut at 30 min: P(30 min) = 1_000 mW, area 0…30 min = (0 + 1_000) / 2 · 1_800_000 = 900_000_000 mW·ms
    // = 250 mWh exactly; the second half gets 1_000 − 250 = 750 mWh (the ramp draws more later).
    const samples = [
      { timestampMs: 0, powerMilliWatts: 0n, quality: "measured" },
      { timestampMs: 3_600_000, powerMilliWatts: 2_000n, quality: "measured" },
    ];
    const result = integratePowerEnergy({
      samples,
      cutsMs: [0, 1_800_000, 3_600_000],
      maxGapMs: 3_600_000,
      nowMs: LATER,
      graceMs: 0,
    });
    assert.equal(result.status, "complete");
    assert.deepEqual(
      result.pieces.map((piece) => piece.energyMilliWattHours),
      [250n, 750n],
    );
    assert.deepEqual(result.pieces[0]?.flags, ["measured", "interpolated", "integrated"]);
    assert.deepEqual(result.checkpoint, {
      timestampMs: 3_600_000,
      powerMilliWatts: 2_000n,
      twiceIntegralMilliWattMilliseconds: 7_200_000_000n,
    });
  });

  it("continues from a checkpoint so consecutive calls sum exactly", () => {
    // 1 mW constant: 1 mW · 1 ms = 1/3_600_000 mWh, so whole mWh appear only every 3_600_000 ms.
    // The remainder below one mWh lives on in the checkpoint instead of being rounded away.
    const samples = [0, 1_000_000, 2_000_000, 3_000_000, 4_000_000].map((timestampMs) => ({
      timestampMs,
      powerMilliWatts: 1n,
      quality: "measured" as const,
    }));
    const first = integratePowerEnergy({
      samples: samples.slice(0, 3),
      cutsMs: [0, 2_000_000],
      maxGapMs: 10_000_000,
      nowMs: LATER,
      graceMs: 0,
    });
    assert.equal(first.status, "complete");
    assert.ok(first.checkpoint !== null);
    const second = integratePowerEnergy({
      samples: samples.slice(2),
      origin: first.checkpoint,
      startBoundary: first.boundaries[1],
      cutsMs: [2_000_000, 4_000_000],
      maxGapMs: 10_000_000,
      nowMs: LATER,
      graceMs: 0,
    });
    assert.equal(second.status, "complete");
    // 4_000_000 ms at 1 mW = 4_000_000 mW·ms = 1.11… mWh → ⌊⌋ = 1 in total: 0 + 1.
    assert.equal(first.pieces[0]?.energyMilliWattHours, 0n);
    assert.equal(second.pieces[0]?.energyMilliWattHours, 1n);
  });

  it("waits for a sample after the end, then holds", () => {
    const samples = [{ timestampMs: 0, powerMilliWatts: 5n, quality: "measured" }];
    const waiting = integratePowerEnergy({
      samples,
      cutsMs: [0, 1_000],
      maxGapMs: 1_000,
      nowMs: 1_500,
      graceMs: 1_000,
    });
    assert.deepEqual(waiting, {
      status: "needs-more-data",
      boundaryMs: 1_000,
      graceDeadlineMs: 2_000,
    });
    const held = integratePowerEnergy({
      samples,
      cutsMs: [0, 1_000],
      maxGapMs: 1_000,
      nowMs: 2_000,
      graceMs: 1_000,
    });
    assert.equal(held.status, "complete");
    assert.deepEqual(held.pieces[0]?.flags, ["estimated", "integrated", "held"]);
  });

  it("refuses negative power and unsorted samples, naming the row", () => {
    assert.throws(
      () =>
        integratePowerEnergy({
          samples: [{ timestampMs: 0, powerMilliWatts: -1n, quality: "measured" }],
          cutsMs: [0, 1],
          maxGapMs: 1,
          nowMs: LATER,
          graceMs: 0,
        }),
      (error: unknown) =>
        error instanceof InvalidInputError && error.path === "samples[0].powerMilliWatts",
    );
    assert.throws(
      () =>
        integratePowerEnergy({
          samples: [
            { timestampMs: 5, powerMilliWatts: 1n, quality: "measured" },
            { timestampMs: 5, powerMilliWatts: 1n, quality: "measured" },
          ],
          cutsMs: [0, 1],
          maxGapMs: 1,
          nowMs: LATER,
          graceMs: 0,
        }),
      (error: unknown) =>
        error instanceof InvalidInputError && error.path === "samples[1].timestampMs",
    );
  });
});
