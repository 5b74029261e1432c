import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { elementAt } from "../accounting/elementAt.ts";
import { loadShippedFactorDatasets } from "./loadShippedFactorDatasets.ts";
import { loadShippedResidualMixDatasets } from "./loadShippedResidualMixDatasets.ts";
import { marketBasedEmissions } from "../accounting/marketBasedEmissions.ts";

describe("loadShippedResidualMixDatasets", () => {
  it("ships no unconfirmed figure: every country pending, and the market method falls back to the location factor, flagged", () => {
    const aib = elementAt(loadShippedResidualMixDatasets(), 0);
    assert.equal(aib.factors.length, 0);
    assert.ok(aib.pending.length > 0);
    const hour = Date.UTC(2023, 3, 1, 9);
    const result = marketBasedEmissions({
      hours: [{ startMs: hour, endMs: hour + 3_600_000, consumptionMilliWattHours: 1_000_000n }],
      market: "AT",
      residualMix: { datasets: loadShippedResidualMixDatasets(), region: "AT" },
      location: { datasets: loadShippedFactorDatasets(), region: "AT" },
    });
    // 1 kWh × Ember 2023 AT 110.81 g CO2e/kWh = 110.81 g = 110 810 mg.
    assert.equal(result.emissionsMilligramsCo2e, 110_810n);
    assert.equal(elementAt(result.hours, 0).residualBasis, "location-fallback");
    assert.ok(result.flags.includes("location-factors-used-no-residual-mix"));
  });
});
