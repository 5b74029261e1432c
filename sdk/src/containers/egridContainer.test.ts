import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadShippedFactorDatasets } from "../factors/loadShippedFactorDatasets.ts";
import { factorRef } from "../factors/factorRef.ts";
import { buildContainer } from "./buildContainer.ts";
import { containerParameters } from "./containerFixture.testHelper.ts";
import { verifyContainer } from "./verifyContainer.ts";

const datasets = loadShippedFactorDatasets();

describe("a container for a US site in an eGRID subregion", () => {
  // The fixture's period is June 2025; eGRID2023 covers 2023, so the site's config asks
  // for the latest available figure (as the gateway's `location.policy` does), flagged.
  const built = buildContainer(
    containerParameters({
      factors: {
        location: { datasets, region: "egrid:SRSO", policy: "latest-available" },
      },
    }),
  );

  it("gets the shipped SERC South factor for every hour, and ei verify recomputes it", async () => {
    const { document } = built;
    const srso = document.factors.find((entry) => entry.factor.region === "egrid:SRSO");
    assert.ok(srso !== undefined);
    assert.equal(srso.factor.datasetId, "us-epa-egrid2023");
    assert.equal(srso.factor.value, "383.74232016659");
    assert.deepEqual(srso.factor.published, { value: "846.007", unit: "lb CO2e/MWh" });
    assert.equal(srso.ref, factorRef(srso.factor));
    for (const hour of document.hours) {
      assert.equal(hour.locationFactorRef, srso.ref);
      assert.equal(hour.locationFactorMatch, "latest-earlier-period");
    }
    assert.ok(document.flags.emissions.includes("factor-latest-earlier-period"));
    // Energy × 383.74232016659 g/kWh, exact, rounded half to even once.
    const energy = BigInt(document.totals.energyImportedMilliWattHours);
    // mWh × g/kWh = µg; the factor is 38 374 232 016 659 × 10^-11 g/kWh.
    const exactMicrograms = energy * 38_374_232_016_659n;
    const scale = 1_000n * 100_000_000_000n; // the factor's 11 decimals, then µg → mg
    const floor = exactMicrograms / scale;
    const remainder = exactMicrograms % scale;
    const rounded =
      remainder * 2n > scale || (remainder * 2n === scale && floor % 2n === 1n)
        ? floor + 1n
        : floor;
    assert.equal(BigInt(document.totals.emissionsLocationMilligramsCo2e), rounded);
    const result = await verifyContainer({
      header: built.header,
      documentBytes: built.documentBytes,
    });
    assert.ok(result.ok, result.firstFailure?.detail);
  });
});
