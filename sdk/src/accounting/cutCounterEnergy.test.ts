import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InvalidInputError } from "../errors/index.ts";
import { cutCounterEnergy } from "./cutCounterEnergy.ts";
import type { CounterBoundary, CounterReading, ReadingQualityName } from "./types.ts";

const LATER = Number.MAX_SAFE_INTEGER;
const WH = 1_000n; // mWh per Wh
const MODULUS_32_BIT_WH = 4_294_967_296n * WH; // 2^32 Wh in mWh

function reading(
  sequence: number,
  timestampMs: number,
  imported: bigint,
  exported = 0n,
  quality: ReadingQualityName = "measured",
): CounterReading {
  return {
    sequence: BigInt(sequence),
    timestampMs,
    energyImportedMilliWattHours: imported,
    energyExportedMilliWattHours: exported,
    quality,
  };
}

function isInvalidAt(path: string) {
  return (error: unknown) => error instanceof InvalidInputError && error.path === path;
}

describe("cutCounterEnergy", () => {
  describe("when a 32-bit Wh counter wraps", () => {
    it("counts the wrapped increase and flags rollover (worked example)", () => {
      // Modulus M = 2^32 Wh = 4_294_967_296_000 mWh.
      //   t = 0       counter M − 2_000 mWh (2 Wh below the top)
      //   t = 60_000  counter 3_000 mWh      → wrapped: 3_000 + M − (M − 2_000) = 5_000 mWh
      //   t = 120_000 counter 8_000 mWh      → +5_000 mWh
      // [0, 120_000) = 10_000 mWh, flagged rollover; the export counter did not wrap.
      const readings = [
        reading(1, 0, MODULUS_32_BIT_WH - 2_000n),
        reading(2, 60_000, 3_000n),
        reading(3, 120_000, 8_000n),
      ];
      const config = {
        counterModulusMilliWattHours: MODULUS_32_BIT_WH,
        resetThresholdMilliWattHours: 0n,
        maxGapMs: 900_000,
      };
      const result = cutCounterEnergy({
        readings,
        config,
        cutsMs: [0, 60_000, 120_000],
        nowMs: LATER,
        graceMs: 0,
      });
      assert.equal(result.status, "complete");
      assert.deepEqual(
        result.pieces.map((piece) => piece.energyImportedMilliWattHours),
        [5_000n, 5_000n],
      );
      assert.deepEqual(result.pieces[0]?.flags.imported, ["measured", "rollover"]);
      assert.deepEqual(result.pieces[0].flags.exported, ["measured"]);
      assert.deepEqual(result.pieces[1]?.flags.imported, ["measured"]);
    });

    it("treats an implausible wrap under the declared maximum power as a reset", () => {
      // 1 kW maximum over 60 s allows ⌈1_000_000 mW · 60_000 ms / 3_600_000⌉ = 16_667 mWh.
      // The wrap below would be (M − 10_000_000) → 500: 10_000_500 mWh, too much: a reset (500 ≤ threshold).
      const readings = [reading(1, 0, MODULUS_32_BIT_WH - 10_000_000n), reading(2, 60_000, 500n)];
      const config = {
        counterModulusMilliWattHours: MODULUS_32_BIT_WH,
        maxPowerMilliWatts: 1_000_000n,
        resetThresholdMilliWattHours: 1_000n,
        maxGapMs: 900_000,
      };
      const result = cutCounterEnergy({
        readings,
        config,
        cutsMs: [0, 60_000],
        nowMs: LATER,
        graceMs: 0,
      });
      assert.equal(result.status, "complete");
      assert.equal(result.pieces[0]?.energyImportedMilliWattHours, 500n);
      assert.ok(result.pieces[0].flags.imported.includes("reset"));
    });
  });

  describe("when the meter is replaced", () => {
    it("counts from the new base after a reset and flags it (worked example)", () => {
      //   t = 0        counter 50_000_000 mWh
      //   t = 300_000  counter 50_400_000      (+400_000)
      //   t = 600_000  counter 120 mWh          dropped to ≤ threshold 1_000_000: reset, counted from 0 → +120
      //   t = 900_000  counter 300_120          (+300_000)
      // [0, 900_000) = 400_000 + 120 + 300_000 = 700_120 mWh, flagged reset.
      const readings = [
        reading(1, 0, 50_000_000n),
        reading(2, 300_000, 50_400_000n),
        reading(3, 600_000, 120n),
        reading(4, 900_000, 300_120n),
      ];
      const config = { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 };
      const result = cutCounterEnergy({
        readings,
        config,
        cutsMs: [0, 900_000],
        nowMs: LATER,
        graceMs: 0,
      });
      assert.equal(result.status, "complete");
      assert.equal(result.pieces[0]?.energyImportedMilliWattHours, 700_120n);
      assert.deepEqual(result.pieces[0].flags.imported, ["measured", "reset"]);
    });

    it("refuses a drop that is neither a plausible wrap nor a reset", () => {
      const readings = [reading(1, 0, 50_000_000n), reading(2, 300_000, 40_000_000n)];
      assert.throws(
        () =>
          cutCounterEnergy({
            readings,
            config: { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 },
            cutsMs: [0, 300_000],
            nowMs: LATER,
            graceMs: 0,
          }),
        isInvalidAt("readings[1].energyImportedMilliWattHours"),
      );
    });
  });

  describe("when readings are missing for a while", () => {
    it("bridges a gap linearly and flags it (worked example)", () => {
      // Maximum gap 15 min; the device was silent from 0 to 3_600_000 (1 h).
      //   t = 0          counter 0
      //   t = 3_600_000  counter 3_600_000 mWh (3.6 Wh over the hour)
      // Quarter-hour containers: C(900_000k) = ⌊3_600_000 · 900_000k / 3_600_000⌋ = 900_000k,
      // so each gets exactly 900_000 mWh: the total is exact, the profile inside the gap is a
      // declared estimate, flagged gap-bridged (and interpolated).
      const readings = [reading(1, 0, 0n), reading(2, 3_600_000, 3_600_000n)];
      const result = cutCounterEnergy({
        readings,
        config: { resetThresholdMilliWattHours: 0n, maxGapMs: 900_000 },
        cutsMs: [0, 900_000, 1_800_000, 2_700_000, 3_600_000],
        nowMs: LATER,
        graceMs: 0,
      });
      assert.equal(result.status, "complete");
      assert.deepEqual(
        result.pieces.map((piece) => piece.energyImportedMilliWattHours),
        [900_000n, 900_000n, 900_000n, 900_000n],
      );
      assert.deepEqual(result.pieces[1]?.flags.imported, [
        "measured",
        "interpolated",
        "gap-bridged",
      ]);
    });

    it("anchors at the first reading when the device starts mid-period", () => {
      const readings = [reading(1, 500_000, 7_000n), reading(2, 900_000, 9_000n)];
      const result = cutCounterEnergy({
        readings,
        config: { resetThresholdMilliWattHours: 0n, maxGapMs: 900_000 },
        cutsMs: [0, 900_000],
        nowMs: LATER,
        graceMs: 0,
      });
      assert.equal(result.status, "complete");
      assert.equal(result.pieces[0]?.energyImportedMilliWattHours, 2_000n);
      assert.deepEqual(result.pieces[0].flags.imported, ["measured", "starts-at-first-reading"]);
    });

    it("carries estimated and imported reading qualities into the flags", () => {
      const readings = [
        reading(1, 0, 0n, 0n, "estimated"),
        reading(2, 900_000, 10n, 0n, "imported"),
      ];
      const result = cutCounterEnergy({
        readings,
        config: { resetThresholdMilliWattHours: 0n, maxGapMs: 900_000 },
        cutsMs: [0, 900_000],
        nowMs: LATER,
        graceMs: 0,
      });
      assert.equal(result.status, "complete");
      assert.deepEqual(result.pieces[0]?.flags.imported, ["estimated", "imported"]);
    });
  });

  describe("bad input", () => {
    const config = { resetThresholdMilliWattHours: 0n, maxGapMs: 900_000 };
    const run = (readings: unknown, cutsMs = [0, 900_000]) =>
      cutCounterEnergy({ readings, config, cutsMs, nowMs: LATER, graceMs: 0 });

    it("refuses unsorted readings, naming the row", () => {
      assert.throws(
        () => run([reading(1, 600_000, 0n), reading(2, 300_000, 5n)]),
        isInvalidAt("readings[1].timestampMs"),
      );
    });
    it("refuses a duplicate sequence", () => {
      assert.throws(
        () => run([reading(1, 0, 0n), reading(1, 300_000, 5n)]),
        isInvalidAt("readings[1].sequence"),
      );
    });
    it("refuses a negative counter", () => {
      assert.throws(
        () => run([reading(1, 0, -5n)]),
        isInvalidAt("readings[0].energyImportedMilliWattHours"),
      );
    });
    it("refuses a value at or above the modulus", () => {
      assert.throws(
        () =>
          cutCounterEnergy({
            readings: [reading(1, 0, 10n)],
            config: { ...config, counterModulusMilliWattHours: 10n },
            cutsMs: [0, 1],
            nowMs: LATER,
            graceMs: 0,
          }),
        isInvalidAt("readings[0].energyImportedMilliWattHours"),
      );
    });
    it("refuses cuts that are not increasing", () => {
      assert.throws(() => run([reading(1, 0, 0n)], [0, 0]), isInvalidAt("cutsMs[1]"));
    });
    it("refuses a config without a maximum gap", () => {
      assert.throws(
        () =>
          cutCounterEnergy({
            readings: [],
            config: { resetThresholdMilliWattHours: 0n },
            cutsMs: [0, 1],
            nowMs: LATER,
            graceMs: 0,
          }),
        isInvalidAt("config.maxGapMs"),
      );
    });
    it("refuses a start boundary whose anchor is not among the readings", () => {
      assert.throws(
        () =>
          cutCounterEnergy({
            readings: [reading(5, 1_000, 0n), reading(6, 2_000, 10n)],
            config,
            cutsMs: [1_500, 2_000],
            startBoundary: {
              timestampMs: 1_500,
              anchor: { sequence: 4n, timestampMs: 500 },
              importedSinceAnchorMilliWattHours: 0n,
              exportedSinceAnchorMilliWattHours: 0n,
              method: "held",
            },
            nowMs: LATER,
            graceMs: 0,
          }),
        isInvalidAt("startBoundary.anchor"),
      );
    });
  });
});

/** A random channel: increments and time steps, optionally wrapped at a modulus. */
const seriesArbitrary = fc
  .record({
    steps: fc.array(
      fc.record({
        elapsedMs: fc.integer({ min: 1, max: 2_000_000 }),
        incrementMilliWattHours: fc.bigInt({ min: 0n, max: 5_000_000_000n }),
      }),
      { minLength: 1, maxLength: 25 },
    ),
    startMs: fc.integer({ min: 0, max: 1_800_000_000_000 }),
    startCounter: fc.bigInt({ min: 0n, max: 10n ** 13n }),
    wrap: fc.boolean(),
  })
  .map(({ steps, startMs, startCounter, wrap }) => {
    // With a wrap, the modulus is kept above twice the largest increment so every wrap is plausible.
    const modulus = wrap ? 10_000_000_001n : undefined;
    let counter = modulus === undefined ? startCounter : startCounter % modulus;
    let timestampMs = startMs;
    let total = 0n;
    const readings: CounterReading[] = [reading(0, timestampMs, counter)];
    steps.forEach((step, index) => {
      timestampMs += step.elapsedMs;
      total += step.incrementMilliWattHours;
      counter += step.incrementMilliWattHours;
      if (modulus !== undefined) counter %= modulus;
      readings.push(reading(index + 1, timestampMs, counter));
    });
    return { readings, modulus, total };
  });

/** Cut instants: the first and last reading times plus random ones in between. */
function cutsArbitrary(firstMs: number, lastMs: number) {
  return fc
    .uniqueArray(fc.integer({ min: firstMs + 1, max: Math.max(firstMs + 1, lastMs - 1) }), {
      maxLength: 12,
    })
    .map((inner) => [
      firstMs,
      ...inner.filter((cut) => cut < lastMs).sort((a, b) => a - b),
      lastMs,
    ]);
}

describe("cutCounterEnergy properties", () => {
  it("containers tiling the readings sum exactly to last − first counter, with and without rollover", () => {
    fc.assert(
      fc.property(
        seriesArbitrary.chain((series) =>
          cutsArbitrary(
            series.readings[0]?.timestampMs ?? 0,
            series.readings.at(-1)?.timestampMs ?? 0,
          ).map((cutsMs) => ({
            ...series,
            cutsMs,
          })),
        ),
        ({ readings, modulus, total, cutsMs }) => {
          const config = {
            counterModulusMilliWattHours: modulus,
            resetThresholdMilliWattHours: 0n,
            maxGapMs: 900_000,
          };
          const result = cutCounterEnergy({ readings, config, cutsMs, nowMs: LATER, graceMs: 0 });
          assert.equal(result.status, "complete");
          const sum = result.pieces.reduce(
            (acc, piece) => acc + piece.energyImportedMilliWattHours,
            0n,
          );
          assert.equal(sum, total);
          // Each container computed alone, from only the readings it needs, gives the same figure.
          result.pieces.forEach((piece) => {
            const firstIndex = readings.findLastIndex((r) => r.timestampMs <= piece.startMs);
            const lastIndex = readings.findIndex((r) => r.timestampMs >= piece.endMs);
            const alone = cutCounterEnergy({
              readings: readings.slice(Math.max(0, firstIndex), lastIndex + 1),
              config,
              cutsMs: [piece.startMs, piece.endMs],
              nowMs: LATER,
              graceMs: 0,
            });
            assert.equal(alone.status, "complete");
            assert.equal(
              alone.pieces[0]?.energyImportedMilliWattHours,
              piece.energyImportedMilliWattHours,
            );
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("containers chained through their boundaries stay exact when some close on held estimates", () => {
    fc.assert(
      fc.property(
        seriesArbitrary.chain((series) =>
          cutsArbitrary(
            series.readings[0]?.timestampMs ?? 0,
            series.readings.at(-1)?.timestampMs ?? 0,
          ).chain((cutsMs) =>
            fc
              .array(fc.integer({ min: 0, max: series.readings.length }), {
                minLength: cutsMs.length - 1,
                maxLength: cutsMs.length - 1,
              })
              .map((lags) => ({ ...series, cutsMs, lags })),
          ),
        ),
        ({ readings, modulus, total, cutsMs, lags }) => {
          const config = {
            counterModulusMilliWattHours: modulus,
            resetThresholdMilliWattHours: 0n,
            maxGapMs: 900_000,
          };
          // Container k sees the readings that arrived by its close: all up to its end, minus a random
          // lag of the latest ones; visibility never shrinks; the last container sees everything.
          let visible = 1;
          let startBoundary: CounterBoundary | undefined;
          let sum = 0n;
          for (let k = 0; k + 1 < cutsMs.length; k++) {
            const end = cutsMs[k + 1] ?? 0;
            const upToEnd = readings.filter((r) => r.timestampMs <= end).length;
            const isLast = k + 2 === cutsMs.length;
            visible = isLast
              ? readings.length
              : Math.max(visible, Math.max(1, upToEnd - (lags[k] ?? 0)));
            const result = cutCounterEnergy({
              readings: readings.slice(0, visible),
              config,
              cutsMs: [cutsMs[k] ?? 0, end],
              startBoundary,
              nowMs: LATER, // past every grace period: a missing reading means held, never waiting
              graceMs: 0,
            });
            assert.equal(result.status, "complete");
            const piece = result.pieces[0];
            assert.ok(piece !== undefined && piece.energyImportedMilliWattHours >= 0n);
            sum += piece.energyImportedMilliWattHours;
            startBoundary = result.boundaries[1];
          }
          assert.equal(sum, total);
        },
      ),
      { numRuns: 150 },
    );
  });
});
