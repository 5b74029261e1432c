import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { elementAt } from "../accounting/elementAt.ts";
import { NoEmissionFactorError } from "./NoEmissionFactorError.ts";
import { loadShippedFactorDatasets } from "./loadShippedFactorDatasets.ts";
import { resolveHourlyFactors } from "./resolveHourlyFactors.ts";
import { T0, ukRegionalBody } from "./sources/apiResponseFixtures.testHelper.ts";
import { createShippedIntensitySource } from "./sources/createShippedIntensitySource.ts";
import { parseUkCarbonIntensityRegional } from "./sources/parseUkCarbonIntensityRegional.ts";

const HOUR = 3_600_000;
const datasets = loadShippedFactorDatasets();
const citation = {
  title: "Carbon Intensity API",
  url: "https://carbonintensity.org.uk/",
  publisher: "NESO",
};
const licence = { name: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/" };
const hours = [0, 1, 2].map((h) => ({ startMs: T0 + h * HOUR, endMs: T0 + (h + 1) * HOUR }));

function live(forecasts: (number | null)[]) {
  const series = parseUkCarbonIntensityRegional({
    body: ukRegionalBody(13, forecasts),
    regionId: 13,
    startMs: T0,
    endMs: T0 + 3 * HOUR,
    retrievedAtMs: T0 + 3 * HOUR,
  });
  return { sourceId: "uk-carbon-intensity", kind: "direct" as const, series, citation, licence };
}

describe("resolveHourlyFactors", () => {
  it("uses the live mean of an hour's half-hours, and falls back per hour with the reason recorded", () => {
    const resolved = resolveHourlyFactors({
      hours,
      live: live([180, 201, -3, 150]),
      shipped: { datasets, region: "GB" },
    });
    // Hour 0: (180 + 201) / 2 = 190.5, exact.
    assert.equal(elementAt(resolved, 0).match, "live");
    assert.equal(elementAt(resolved, 0).factor.value, "190.5");
    assert.equal(elementAt(resolved, 0).factor.datasetId, "live:uk-carbon-intensity");
    assert.equal(elementAt(resolved, 0).factor.unit, "g CO2/kWh");
    assert.deepEqual(elementAt(resolved, 0).factor.period, hours[0]);
    assert.match(elementAt(resolved, 0).factor.version, /retrieved 2025-06-01T15:00:00.000Z/u);
    assert.equal(elementAt(resolved, 0).fallback, undefined);
    // Hour 1 has a negative half-hour: the whole hour falls back to DESNZ 2025 (177), flagged.
    assert.equal(elementAt(resolved, 1).factor.datasetId, "uk-desnz-2025");
    assert.equal(elementAt(resolved, 1).factor.value, "177");
    assert.deepEqual(elementAt(resolved, 1).fallback?.reason, "negative-intensity");
    // Hour 2 is absent from the answer: missing-interval.
    assert.equal(elementAt(resolved, 2).fallback?.reason, "missing-interval");
  });

  it("without a live source, gives the shipped factor and no fallback record", () => {
    const resolved = resolveHourlyFactors({ hours, shipped: { datasets, region: "GB" } });
    assert.ok(
      resolved.every(
        (hour) =>
          hour.factor.value === "177" && hour.fallback === undefined && hour.match === "in-period",
      ),
    );
  });

  it("never a silent zero: no live figure and no shipped factor throws", () => {
    assert.throws(
      () => resolveHourlyFactors({ hours, live: live([]), shipped: { datasets, region: "XX" } }),
      NoEmissionFactorError,
    );
  });

  it("the shipped datasets implement the same source interface", async () => {
    const source = createShippedIntensitySource(datasets);
    const answer = await source.averageIntensities({
      region: "GB",
      startMs: T0,
      endMs: T0 + 2 * HOUR,
      kind: "direct",
    });
    assert.equal(answer.points.length, 2);
    const wrong = await source.averageIntensities({
      region: "GB",
      startMs: T0,
      endMs: T0 + HOUR,
      kind: "lifecycle",
    });
    assert.equal(wrong.problems[0]?.reason, "wrong-kind");
    const resolved = resolveHourlyFactors({
      hours: hours.slice(0, 2),
      live: { sourceId: "shipped", kind: "direct", series: answer, citation, licence },
      shipped: { datasets, region: "GB" },
    });
    assert.equal(elementAt(resolved, 0).factor.value, "177");
  });
});
