import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidInputError } from "../errors/index.ts";
import { NoEmissionFactorError } from "../factors/NoEmissionFactorError.ts";
import { findFactor } from "../factors/findFactor.ts";
import { loadShippedFactorDatasets } from "../factors/loadShippedFactorDatasets.ts";
import { FACTOR_DATASET_FORMAT, parseFactorDataset } from "../factors/parseFactorDataset.ts";
import { locationBasedEmissions } from "./locationBasedEmissions.ts";
import { transmissionAndDistributionEmissions } from "./transmissionAndDistributionEmissions.ts";

const HOUR = 3_600_000;
const shipped = loadShippedFactorDatasets();

// A dataset in the shipped layout with a T&D figure, for the arithmetic: the numbers are
// made up (20 g/kWh generation-side losses), not DESNZ's.
const withLosses = parseFactorDataset(
  {
    format: FACTOR_DATASET_FORMAT,
    id: "test-grid",
    source: "test",
    version: "1",
    kind: "direct",
    unit: "g CO2e/kWh",
    citation: { title: "test", url: "https://example.org/", publisher: "test" },
    licence: { name: "test", url: "https://example.org/" },
    notes: [],
    factors: [{ region: "XX", regionName: "Test", period: { year: 2025 }, value: "177" }],
    transmissionAndDistribution: {
      notes: ["made up for tests"],
      factors: [
        {
          region: "XX",
          regionName: "Test",
          period: { year: 2025 },
          value: "20",
          published: { value: "0.02", unit: "kg CO2e/kWh" },
        },
      ],
    },
  },
  "test-grid",
);

const pieces = [
  {
    startMs: Date.UTC(2025, 5, 1, 12),
    endMs: Date.UTC(2025, 5, 1, 13),
    energyMilliWattHours: 2_500n,
  },
  {
    startMs: Date.UTC(2025, 5, 1, 13),
    endMs: Date.UTC(2025, 5, 1, 14),
    energyMilliWattHours: 3_500n,
  },
];

describe("transmissionAndDistributionEmissions", () => {
  it("is its own Scope 3 category 3 line beside an unchanged location-based Scope 2 figure", () => {
    const scope2 = locationBasedEmissions({ pieces, region: "XX", datasets: [withLosses] });
    const losses = transmissionAndDistributionEmissions({
      pieces,
      region: "XX",
      datasets: [withLosses],
    });
    assert.equal(losses.line, "scope-3-category-3-transmission-and-distribution-losses");
    assert.equal(losses.scope, 3);
    assert.equal(losses.category, 3);
    // 6 000 mWh × 20 g/kWh = 120 mg; the hours 50 and 70.
    assert.equal(losses.emissionsMilligramsCo2e, 120n);
    assert.deepEqual(
      losses.pieces.map((piece) => piece.emissionsMilligramsCo2e),
      [50n, 70n],
    );
    assert.equal(losses.factors[0]?.datasetId, "test-grid-td");
    // Scope 2 is the generation factor alone: 6 000 × 177 / 1000 = 1 062 mg, T&D not folded in.
    assert.equal(scope2.emissionsMilligramsCo2e, 1_062n);
    assert.equal(scope2.factors[0]?.datasetId, "test-grid");
    assert.notEqual(losses.factorRef, scope2.factorRef);
  });

  it("a Scope 2 lookup never finds a T&D factor", () => {
    // The region's T&D figure lives only in the nested list: the Scope 2 value is 177.
    assert.equal(findFactor([withLosses], "XX", Date.UTC(2025, 0, 1)).factor.value, "177");
    assert.equal(findFactor(shipped, "GB", Date.UTC(2025, 0, 1)).factor.value, "177");
  });

  it("with the shipped data, GB T&D is pending: an error with DESNZ's reason, never a zero", () => {
    assert.throws(
      () => transmissionAndDistributionEmissions({ pieces, region: "GB", datasets: shipped }),
      (error: unknown) =>
        error instanceof NoEmissionFactorError &&
        error.reason === "pending-region" &&
        (error.details ?? "").includes("uk-desnz-2025-td"),
    );
  });

  it("refuses a region without any T&D list, and an empty list of pieces", () => {
    const noLosses = shipped.filter((dataset) => dataset.transmissionAndDistribution === undefined);
    assert.throws(
      () =>
        transmissionAndDistributionEmissions({ pieces, region: "egrid:CAMX", datasets: noLosses }),
      (error: unknown) =>
        error instanceof NoEmissionFactorError && error.reason === "unknown-region",
    );
    assert.throws(
      () =>
        transmissionAndDistributionEmissions({ pieces: [], region: "XX", datasets: [withLosses] }),
      (error: unknown) => error instanceof InvalidInputError && error.path === "pieces",
    );
  });

  it("flags a T&D factor used outside its period only on request", () => {
    const later = [
      {
        startMs: Date.UTC(2026, 0, 1),
        endMs: Date.UTC(2026, 0, 1) + HOUR,
        energyMilliWattHours: 1n,
      },
    ];
    assert.throws(
      () =>
        transmissionAndDistributionEmissions({
          pieces: later,
          region: "XX",
          datasets: [withLosses],
        }),
      (error: unknown) => error instanceof NoEmissionFactorError && error.reason === "no-period",
    );
    const stale = transmissionAndDistributionEmissions({
      pieces: later,
      region: "XX",
      datasets: [withLosses],
      policy: "latest-available",
    });
    assert.deepEqual(stale.flags, ["factor-latest-earlier-period"]);
  });
});
