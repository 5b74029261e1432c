import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InvalidInputError } from "../errors/index.ts";
import { NoEmissionFactorError } from "../factors/NoEmissionFactorError.ts";
import { factorListRef } from "../factors/factorListRef.ts";
import { factorRef } from "../factors/factorRef.ts";
import { FACTOR_DATASET_FORMAT, parseFactorDataset } from "../factors/parseFactorDataset.ts";
import { loadShippedFactorDatasets } from "../factors/loadShippedFactorDatasets.ts";
import { emissionsMilligramsCo2e } from "../units/emissionsMilligramsCo2e.ts";
import { sumEmissionsMilligramsCo2e } from "../units/sumEmissionsMilligramsCo2e.ts";
import { locationBasedEmissions } from "./locationBasedEmissions.ts";

const datasets = loadShippedFactorDatasets();
const JUNE_2025 = Date.UTC(2025, 5, 2, 10); // 10:00 UTC
const HOUR = 3_600_000;

describe("locationBasedEmissions", () => {
  it("applies the hour's factor, rounds the exact sum once, hands the integer back to the hours (worked example)", () => {
    // GB 2025: 177 g CO2e/kWh; 1 mWh × 1 g/kWh = 1 µg = 0.001 mg.
    //   10:00–11:00  2_500 mWh × 177 = 442_500 µg = 442.5 mg (exact)
    //   11:00–11:30  3_500 mWh × 177 = 619_500 µg = 619.5 mg (exact)
    // Total: 442.5 + 619.5 = 1_062.0 mg → 1_062 (rounded once, nothing to round here).
    // Back to the hours by largest remainder: floors 442 + 619 = 1_061, 1 mg left, both
    // remainders are 0.5 → the lower index gets it: [443, 619]. (Rounding each hour on its own
    // would give 442 + 620 by ties-to-even — the same sum here, but not in general.)
    const result = locationBasedEmissions({
      pieces: [
        { startMs: JUNE_2025, endMs: JUNE_2025 + HOUR, energyMilliWattHours: 2_500n },
        { startMs: JUNE_2025 + HOUR, endMs: JUNE_2025 + 1.5 * HOUR, energyMilliWattHours: 3_500n },
      ],
      region: "GB",
      datasets,
    });
    assert.deepEqual(
      result.pieces.map((piece) => piece.emissionsMilligramsCo2e),
      [443n, 619n],
    );
    assert.equal(result.emissionsMilligramsCo2e, 1_062n);
    assert.deepEqual(result.pieces[0]?.exactMilligramsCo2e, {
      numerator: 442_500n,
      denominator: 1_000n,
    });
    assert.equal(result.energyMilliWattHours, 6_000n);
    const [gb] = result.factors;
    assert.ok(gb !== undefined);
    assert.equal(result.factorRef, factorRef(gb));
    assert.deepEqual(result.flags, []);
  });

  it("fails explicitly without a factor, and flags the latest-available fallback", () => {
    const piece = {
      startMs: Date.UTC(2026, 0, 1),
      endMs: Date.UTC(2026, 0, 1) + HOUR,
      energyMilliWattHours: 1_000n,
    };
    assert.throws(
      () => locationBasedEmissions({ pieces: [piece], region: "GB", datasets }),
      (error: unknown) => error instanceof NoEmissionFactorError && error.reason === "no-period",
    );
    const fallback = locationBasedEmissions({
      pieces: [piece],
      region: "GB",
      datasets,
      policy: "latest-available",
    });
    assert.deepEqual(fallback.flags, ["factor-latest-earlier-period"]);
    // eGRID SERC South, pending until the full eGRID2023 set shipped, now resolves:
    // 1 000 000 mWh × 383.74232016659 g/kWh (846.007 lb/MWh) = 383 742.32016659 mg → 383 742.
    const srso = locationBasedEmissions({
      pieces: [
        {
          startMs: Date.UTC(2023, 5, 1),
          endMs: Date.UTC(2023, 5, 1) + HOUR,
          energyMilliWattHours: 1_000_000n,
        },
      ],
      region: "egrid:SRSO",
      datasets,
    });
    assert.equal(srso.factors[0]?.region, "egrid:SRSO");
    assert.equal(srso.factors[0].published?.value, "846.007");
    assert.equal(srso.emissionsMilligramsCo2e, 383_742n);
    assert.deepEqual(srso.flags, []);
  });

  it("refuses a piece that spans two factor periods, and an empty list", () => {
    // A dataset with factors for 2024 and 2025: a piece across New Year resolves to two factors.
    const twoYears = parseFactorDataset(
      {
        format: FACTOR_DATASET_FORMAT,
        id: "test-two-years",
        source: "test",
        version: "1",
        kind: "direct",
        unit: "g CO2e/kWh",
        citation: { title: "test", url: "https://example.org/", publisher: "test" },
        licence: { name: "test", url: "https://example.org/" },
        notes: [],
        factors: [
          { region: "XX", regionName: "Test", period: { year: 2024 }, value: "100" },
          { region: "XX", regionName: "Test", period: { year: 2025 }, value: "200" },
        ],
      },
      "test-two-years",
    );
    const piece = {
      startMs: Date.UTC(2024, 11, 31, 23, 30),
      endMs: Date.UTC(2025, 0, 1, 0, 30),
      energyMilliWattHours: 1n,
    };
    assert.throws(
      () => locationBasedEmissions({ pieces: [piece], region: "XX", datasets: [twoYears] }),
      (error: unknown) => error instanceof InvalidInputError && error.path === "pieces[0]",
    );
    assert.throws(
      () => locationBasedEmissions({ pieces: [], region: "XX", datasets: [twoYears] }),
      (error: unknown) => error instanceof InvalidInputError && error.path === "pieces",
    );
    // Two hours with different factors: the container ref is the ref of the list of both.
    const both = locationBasedEmissions({
      pieces: [
        {
          startMs: Date.UTC(2024, 11, 31, 23),
          endMs: Date.UTC(2025, 0, 1),
          energyMilliWattHours: 1_000n,
        },
        {
          startMs: Date.UTC(2025, 0, 1),
          endMs: Date.UTC(2025, 0, 1, 1),
          energyMilliWattHours: 1_000n,
        },
      ],
      region: "XX",
      datasets: [twoYears],
    });
    // 1_000 mWh × 100 g/kWh = 100 mg; 1_000 mWh × 200 g/kWh = 200 mg.
    assert.equal(both.emissionsMilligramsCo2e, 300n);
    assert.equal(both.factors.length, 2);
    assert.equal(both.factorRef, factorListRef(twoYears.factors));
    assert.notEqual(both.factorRef, both.pieces[0]?.factorRef);
  });

  it("flags CO2-only factors", () => {
    const result = locationBasedEmissions({
      pieces: [
        {
          startMs: Date.UTC(2021, 3, 1),
          endMs: Date.UTC(2021, 3, 1) + HOUR,
          energyMilliWattHours: 1_000_000n,
        },
      ],
      region: "PL",
      datasets,
    });
    // 1 kWh × 748 g/kWh = 748_000 mg.
    assert.equal(result.emissionsMilligramsCo2e, 748_000n);
    assert.deepEqual(result.flags, ["factor-co2-only"]);
  });
});

describe("emissions rounding", () => {
  it("converts units exactly (worked example)", () => {
    // 1 mWh × 1 g/kWh = 10⁻⁶ kWh × 1 g/kWh = 1 µg = 0.001 mg.
    // 1 kWh at eGRID CAMX 195.03700802971 g/kWh (429.983 lb/MWh × 0.45359237):
    //   1_000_000 mWh × 195.03700802971 g/kWh = 195_037_008.02971 µg = 195_037.00802971 mg → 195_037.
    const result = locationBasedEmissions({
      pieces: [
        {
          startMs: Date.UTC(2023, 6, 1),
          endMs: Date.UTC(2023, 6, 1) + HOUR,
          energyMilliWattHours: 1_000_000n,
        },
      ],
      region: "egrid:CAMX",
      datasets,
    });
    assert.equal(result.emissionsMilligramsCo2e, 195_037n);
  });

  it("property: total = the exact sum rounded once; hours are integers summing to it, each within 1.5 mg of exact", () => {
    // Mixed factors (a year boundary between 2024 and 2025 factors) to exercise differing denominators.
    const twoYears = parseFactorDataset(
      {
        format: FACTOR_DATASET_FORMAT,
        id: "test-two-years",
        source: "test",
        version: "1",
        kind: "direct",
        unit: "g CO2e/kWh",
        citation: { title: "test", url: "https://example.org/", publisher: "test" },
        licence: { name: "test", url: "https://example.org/" },
        notes: [],
        factors: [
          { region: "XX", regionName: "Test", period: { year: 2024 }, value: "349.66710055508" },
          { region: "XX", regionName: "Test", period: { year: 2025 }, value: "177" },
        ],
      },
      "test-two-years",
    );
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 48 }),
        fc.integer({ min: 0, max: 47 }),
        (energies, hoursBeforeNewYear) => {
          const start = Date.UTC(2025, 0, 1) - hoursBeforeNewYear * HOUR;
          const pieces = energies.map((energyMilliWattHours, hour) => ({
            startMs: start + hour * HOUR,
            endMs: start + (hour + 1) * HOUR,
            energyMilliWattHours,
          }));
          const result = locationBasedEmissions({ pieces, region: "XX", datasets: [twoYears] });
          const expected = sumEmissionsMilligramsCo2e(
            result.pieces.map((piece) => ({
              energyMilliWattHours: piece.energyMilliWattHours,
              factor: { value: piece.factorValue, unit: "g/kWh" as const },
            })),
          );
          assert.equal(result.emissionsMilligramsCo2e, expected);
          assert.equal(
            result.pieces.reduce((sum, piece) => sum + piece.emissionsMilligramsCo2e, 0n),
            result.emissionsMilligramsCo2e,
          );
          for (const piece of result.pieces) {
            // |share − exact| ≤ 1.5 mg  ⇔  |2·share·den − 2·num| ≤ 3·den
            const { numerator, denominator } = piece.exactMilligramsCo2e;
            const difference = 2n * piece.emissionsMilligramsCo2e * denominator - 2n * numerator;
            assert.ok((difference < 0n ? -difference : difference) <= 3n * denominator);
          }
          // Rounding each hour alone instead would drift from the total by at most (n + 1)/2 mg.
          const hourByHour = result.pieces.reduce(
            (sum, piece) =>
              sum +
              emissionsMilligramsCo2e(piece.energyMilliWattHours, {
                value: piece.factorValue,
                unit: "g/kWh",
              }),
            0n,
          );
          const drift = hourByHour - result.emissionsMilligramsCo2e;
          assert.ok(2n * (drift < 0n ? -drift : drift) <= BigInt(energies.length) + 1n);
        },
      ),
    );
  });
});
