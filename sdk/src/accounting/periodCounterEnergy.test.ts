import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidInputError } from "../errors/index.ts";
import { periodCounterEnergy } from "./periodCounterEnergy.ts";
import type { CounterReading } from "./types.ts";

const config = { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 600_000 };
const LATER = Number.MAX_SAFE_INTEGER; // a clock far past every grace deadline

function reading(
  sequence: number,
  timestampMs: number,
  imported: bigint,
  exported = 0n,
): CounterReading {
  return {
    sequence: BigInt(sequence),
    timestampMs,
    energyImportedMilliWattHours: imported,
    energyExportedMilliWattHours: exported,
    quality: "measured",
  };
}

describe("periodCounterEnergy", () => {
  it("two containers sum exactly to the meter (worked example)", () => {
    // Readings every 7 min (420_000 ms); containers of 15 min (900_000 ms).
    //   t =         0  counter 1_000_000 mWh
    //   t =   420_000  counter 1_070_000   (+70_000)
    //   t =   840_000  counter 1_140_001   (+70_001)
    //   t = 1_260_000  counter 1_210_003   (+70_002)
    //   t = 1_680_000  counter 1_280_006   (+70_003)
    //   t = 2_100_000  counter 1_350_010   (+70_004)
    // C(900_000): pair (840_000, 1_260_000), Δ = 70_002, offset ⌊70_002 · 60_000 / 420_000⌋
    //   = ⌊10_000.2857…⌋ = 10_000 → C = 140_001 + 10_000 = 150_001 above the first reading.
    // C(1_800_000): pair (1_680_000, 2_100_000), Δ = 70_004, offset ⌊70_004 · 120_000 / 420_000⌋
    //   = ⌊20_001.142…⌋ = 20_001 → C = 280_006 + 20_001 = 300_007.
    // Container A [0, 900_000) = 150_001 − 0 = 150_001; B [900_000, 1_800_000) = 300_007 − 150_001 = 150_006.
    // A + B = 300_007 = C(1_800_000) − C(0): no milliwatt-hour lost or counted twice.
    const readings = [
      reading(1, 0, 1_000_000n),
      reading(2, 420_000, 1_070_000n),
      reading(3, 840_000, 1_140_001n),
      reading(4, 1_260_000, 1_210_003n),
      reading(5, 1_680_000, 1_280_006n),
      reading(6, 2_100_000, 1_350_010n),
    ];
    const a = periodCounterEnergy({
      readings,
      config,
      startMs: 0,
      endMs: 900_000,
      nowMs: LATER,
      graceMs: 0,
    });
    const b = periodCounterEnergy({
      readings: readings.slice(2), // B only needs the readings from its start's anchor on
      config,
      startMs: 900_000,
      endMs: 1_800_000,
      nowMs: LATER,
      graceMs: 0,
    });
    assert.equal(a.status, "complete");
    assert.equal(b.status, "complete");
    assert.equal(a.energy.energyImportedMilliWattHours, 150_001n);
    assert.equal(b.energy.energyImportedMilliWattHours, 150_006n);
    assert.deepEqual(a.energy.flags.imported, ["measured", "interpolated"]);
    assert.deepEqual(a.endBoundary, b.startBoundary);
  });

  it("waits for a reading after the end, then holds it past the grace period", () => {
    // Last reading at 600_000; the container ends at 900_000 and the grace is 300_000.
    const readings = [reading(1, 0, 0n), reading(2, 600_000, 60_000n)];
    const waiting = periodCounterEnergy({
      readings,
      config,
      startMs: 0,
      endMs: 900_000,
      nowMs: 1_100_000,
      graceMs: 300_000,
    });
    assert.deepEqual(waiting, {
      status: "needs-more-data",
      boundaryMs: 900_000,
      graceDeadlineMs: 1_200_000,
    });
    const held = periodCounterEnergy({
      readings,
      config,
      startMs: 0,
      endMs: 900_000,
      nowMs: 1_200_000,
      graceMs: 300_000,
    });
    assert.equal(held.status, "complete");
    // Held at the last reading: 60_000 mWh, a lower bound.
    assert.equal(held.energy.energyImportedMilliWattHours, 60_000n);
    assert.deepEqual(held.energy.flags.imported, ["measured", "estimated", "held"]);
    // The next container, chained through the held boundary, gets the rest: with a reading
    // at 1_200_000 (120_000 mWh), C(1_800_000) needs more data; at 1_800_000 exactly it does not.
    const next = periodCounterEnergy({
      readings: [...readings, reading(3, 1_800_000, 180_000n)],
      config,
      startMs: 900_000,
      endMs: 1_800_000,
      startBoundary: held.endBoundary,
      nowMs: 1_800_000,
      graceMs: 300_000,
    });
    assert.equal(next.status, "complete");
    // 180_000 − 60_000 = 120_000: the two containers together hold the meter's 180_000.
    assert.equal(next.energy.energyImportedMilliWattHours, 120_000n);
    assert.ok(next.energy.flags.imported.includes("held"));
  });

  it("refuses a period whose end is not after its start", () => {
    assert.throws(
      () =>
        periodCounterEnergy({
          readings: [],
          config,
          startMs: 10,
          endMs: 10,
          nowMs: LATER,
          graceMs: 0,
        }),
      (error: unknown) => error instanceof InvalidInputError && error.path === "endMs",
    );
  });
});
