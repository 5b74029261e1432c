import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { splitCounterEnergyByHour } from "./splitCounterEnergyByHour.ts";
import { periodCounterEnergy } from "./periodCounterEnergy.ts";

const HOUR = 3_600_000;
const config = { resetThresholdMilliWattHours: 0n, maxGapMs: HOUR };
const LATER = Number.MAX_SAFE_INTEGER;

describe("splitCounterEnergyByHour", () => {
  it("cuts a period across two clock hours with the same interpolation (worked example)", () => {
    // Readings at 00:50 (counter 0) and 01:10 (counter 1_000 mWh), i.e. 1_000 mWh over 1_200_000 ms.
    // Period [00:50, 01:10) crosses 01:00:
    //   C(01:00) = ⌊1_000 · 600_000 / 1_200_000⌋ = 500
    //   hour 00:00–01:00 gets 500 − 0 = 500; hour 01:00–02:00 gets 1_000 − 500 = 500.
    // A reading pair with an odd total shows the floor: counter 999 at 01:10 gives
    //   C(01:00) = ⌊999 · 600_000 / 1_200_000⌋ = ⌊499.5⌋ = 499 → hours 499 and 500, sum 999.
    const readings = [
      {
        sequence: 1n,
        timestampMs: 50 * 60_000,
        energyImportedMilliWattHours: 0n,
        energyExportedMilliWattHours: 0n,
        quality: "measured",
      },
      {
        sequence: 2n,
        timestampMs: 70 * 60_000,
        energyImportedMilliWattHours: 999n,
        energyExportedMilliWattHours: 0n,
        quality: "measured",
      },
    ];
    const split = splitCounterEnergyByHour({
      readings,
      config,
      startMs: 50 * 60_000,
      endMs: 70 * 60_000,
      nowMs: LATER,
      graceMs: 0,
    });
    assert.equal(split.status, "complete");
    assert.deepEqual(
      split.hours.map((hour) => [hour.startMs, hour.endMs, hour.energyImportedMilliWattHours]),
      [
        [50 * 60_000, HOUR, 499n],
        [HOUR, 70 * 60_000, 500n],
      ],
    );
    assert.equal(split.energyImportedMilliWattHours, 999n);
    const whole = periodCounterEnergy({
      readings,
      config,
      startMs: 50 * 60_000,
      endMs: 70 * 60_000,
      nowMs: LATER,
      graceMs: 0,
    });
    assert.equal(whole.status, "complete");
    assert.equal(whole.energy.energyImportedMilliWattHours, split.energyImportedMilliWattHours);
  });
});

describe("splitCounterEnergyByHour properties", () => {
  it("the hours sum exactly to the period's energy", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            elapsedMs: fc.integer({ min: 1, max: 5 * HOUR }),
            increment: fc.bigInt({ min: 0n, max: 10n ** 10n }),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (steps, a, b) => {
          let timestampMs = 1_700_000_000_000;
          let counter = 0n;
          const readings = [
            {
              sequence: 0n,
              timestampMs,
              energyImportedMilliWattHours: 0n,
              energyExportedMilliWattHours: 0n,
              quality: "measured" as const,
            },
          ];
          steps.forEach((step, index) => {
            timestampMs += step.elapsedMs;
            counter += step.increment;
            readings.push({
              sequence: BigInt(index + 1),
              timestampMs,
              energyImportedMilliWattHours: counter,
              energyExportedMilliWattHours: counter / 3n,
              quality: "measured",
            });
          });
          const first = readings[0]?.timestampMs ?? 0;
          const span = timestampMs - first;
          const startMs = first + Math.floor(Math.min(a, b) * span);
          const endMs = Math.max(startMs + 1, first + Math.floor(Math.max(a, b) * span));
          const split = splitCounterEnergyByHour({
            readings,
            config,
            startMs,
            endMs,
            nowMs: LATER,
            graceMs: 0,
          });
          const whole = periodCounterEnergy({
            readings,
            config,
            startMs,
            endMs,
            nowMs: LATER,
            graceMs: 0,
          });
          assert.equal(split.status, "complete");
          assert.equal(whole.status, "complete");
          const hourSum = split.hours.reduce(
            (sum, hour) => sum + hour.energyImportedMilliWattHours,
            0n,
          );
          const exportSum = split.hours.reduce(
            (sum, hour) => sum + hour.energyExportedMilliWattHours,
            0n,
          );
          assert.equal(hourSum, whole.energy.energyImportedMilliWattHours);
          assert.equal(exportSum, whole.energy.energyExportedMilliWattHours);
          // Every piece lies within one clock hour.
          for (const hour of split.hours)
            assert.equal(Math.floor(hour.startMs / HOUR), Math.floor((hour.endMs - 1) / HOUR));
        },
      ),
      { numRuns: 200 },
    );
  });
});
