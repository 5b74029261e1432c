import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { InvalidInputError } from "../errors/index.ts";
import { elementAt } from "./elementAt.ts";
import { loadShippedFuelFactorDatasets } from "../factors/loadShippedFuelFactorDatasets.ts";
import { withCrc } from "../protocols/dsmr/fixtures/withCrc.ts";
import { parseDsmrTelegram } from "../protocols/dsmr/parseDsmrTelegram.ts";
import { fuelCombustionEmissions } from "./fuelCombustionEmissions.ts";
import { gasVolumeFromDsmrTelegram } from "./gasVolumeFromDsmrTelegram.ts";
import { splitFuelCounterByHour } from "./splitFuelCounterByHour.ts";

const datasets = loadShippedFuelFactorDatasets();
const HOUR = 3_600_000;
const T = Date.UTC(2024, 10, 5, 6);

describe("Scope 1 from fuel meters", () => {
  it("reads the DSMR 5.0.2 example's gas register as litres, exactly", () => {
    // The printed CRC is a known erratum of the specification's example: re-sealed with the computed one.
    const text = readFileSync(
      new URL("../protocols/dsmr/fixtures/dsmr-5.0.2-spec-example.txt", import.meta.url),
      "latin1",
    );
    const gas = elementAt(gasVolumeFromDsmrTelegram(parseDsmrTelegram(withCrc(text))), 0);
    assert.equal(gas.channel, 1);
    assert.equal(gas.volumeLitres, 12_785_123n); // 12785.123 m3
    assert.equal(gas.temperatureCorrected, true);
  });

  it("splits a gas counter by hour with the electricity counter rules and prices each hour (worked example)", () => {
    // 100 000 L at 06:00, 101 500 L at 07:30, 102 000 L at 08:00: interpolated, 1 000 L in each hour.
    const split = splitFuelCounterByHour({
      readings: [
        { sequence: 1n, timestampMs: T, volumeLitres: 100_000n, quality: "measured" },
        { sequence: 2n, timestampMs: T + 1.5 * HOUR, volumeLitres: 101_500n, quality: "measured" },
        { sequence: 3n, timestampMs: T + 2 * HOUR, volumeLitres: 102_000n, quality: "measured" },
      ],
      config: { resetThresholdMilliWattHours: 0n, maxGapMs: 2 * HOUR },
      startMs: T,
      endMs: T + 2 * HOUR,
      nowMs: T + 3 * HOUR,
      graceMs: 0,
    });
    assert.equal(split.status, "complete");
    assert.deepEqual(
      split.hours.map((h) => h.volumeLitres),
      [1_000n, 1_000n],
    );
    // EPA Hub 2024 natural gas: 0.05444 kg CO2/scf; 1 scf = 28.316846592 L.
    // 1 000 L = 1 000 / 28.316846592 scf; × 54 440 mg/scf = 1 922 530.456… mg per hour.
    // Total exact 3 845 060.912… → rounded once: 3 845 061 mg; handed back by largest
    // remainder (equal remainders, lower index first): 1 922 531 + 1 922 530.
    const result = fuelCombustionEmissions({
      pieces: split.hours.map((h) => ({
        startMs: h.startMs,
        endMs: h.endMs,
        volumeLitres: h.volumeLitres,
      })),
      fuel: "natural-gas",
      datasets,
    });
    assert.equal(result.emissionsMilligramsCo2e, 3_845_061n);
    assert.deepEqual(
      result.pieces.map((p) => p.emissionsMilligramsCo2e),
      [1_922_531n, 1_922_530n],
    );
    assert.deepEqual(result.flags, ["factor-co2-only", "fuel-volume-reference-conditions-assumed"]);
    assert.equal(result.factor.datasetId, "us-epa-ghg-hub-2024-fuels");
  });

  it("refuses a fuel without a shipped figure, naming why it is pending (never a zero)", () => {
    assert.throws(
      () =>
        fuelCombustionEmissions({
          pieces: [{ startMs: T, endMs: T + HOUR, volumeLitres: 10n }],
          fuel: "diesel",
          datasets,
        }),
      (error: unknown) =>
        error instanceof InvalidInputError &&
        error.path === "fuel" &&
        error.message.includes("pending"),
    );
  });
});
