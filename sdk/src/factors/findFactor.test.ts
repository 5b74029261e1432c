import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { NoEmissionFactorError } from "./NoEmissionFactorError.ts";
import { factorRef } from "./factorRef.ts";
import { findFactor } from "./findFactor.ts";
import { loadShippedFactorDatasets } from "./loadShippedFactorDatasets.ts";

const datasets = loadShippedFactorDatasets();

function isNoFactor(reason: NoEmissionFactorError["reason"]) {
  return (error: unknown) => error instanceof NoEmissionFactorError && error.reason === reason;
}

describe("findFactor", () => {
  it("finds the factor whose half-open period contains the instant", () => {
    const found = findFactor(datasets, "GB", Date.UTC(2025, 11, 31, 23, 59, 59, 999));
    assert.equal(found.factor.value, "177");
    assert.equal(found.match, "in-period");
    assert.equal(found.ref, factorRef(found.factor));
    // The end is excluded: 1 January 2026 00:00 is outside [2025, 2026).
    assert.throws(() => findFactor(datasets, "GB", Date.UTC(2026, 0, 1)), isNoFactor("no-period"));
  });

  it("falls back to the latest earlier period only when asked, and says so", () => {
    const found = findFactor(datasets, "egrid:CAMX", Date.UTC(2026, 5, 1), "latest-available");
    assert.equal(found.match, "latest-earlier-period");
    assert.equal(found.factor.version, "eGRID2023");
    // Never a later factor for an earlier time.
    assert.throws(
      () => findFactor(datasets, "egrid:CAMX", Date.UTC(2020, 0, 1), "latest-available"),
      isNoFactor("no-period"),
    );
  });

  it("tells an unknown region from a listed one without a figure", () => {
    assert.throws(
      () => findFactor(datasets, "XX", Date.UTC(2023, 0, 1)),
      isNoFactor("unknown-region"),
    );
    // Every eGRID2023 subregion is shipped now (ERCOT was listed as pending before).
    assert.equal(
      findFactor(datasets, "egrid:ERCT", Date.UTC(2023, 0, 1)).factor.value,
      "334.12929392073",
    );
    // The UK T&D list is shipped with GB pending: the reason travels with the error.
    const uk = datasets.find((dataset) => dataset.id === "uk-desnz-2025");
    const losses = uk?.transmissionAndDistribution;
    assert.ok(losses !== undefined);
    assert.throws(
      () => findFactor([losses], "GB", Date.UTC(2025, 0, 1)),
      (error: unknown) =>
        error instanceof NoEmissionFactorError &&
        error.reason === "pending-region" &&
        (error.details ?? "").includes("second independent source"),
    );
    // AT is pending in the SDES 2021 set but shipped by eu27-ember-2023 (for 2023 only), listed after it.
    assert.equal(findFactor(datasets, "AT", Date.UTC(2023, 6, 1)).factor.value, "110.81");
    assert.throws(() => findFactor(datasets, "AT", Date.UTC(2021, 0, 1)), isNoFactor("no-period"));
  });
});

describe("EU datasets in the default order", () => {
  it("the first dataset holding a region decides; the Ember set decides only when given first", () => {
    // DE has a 2021 figure in eu27-sdes-iea-2021, listed first: 2023 falls outside it.
    assert.throws(() => findFactor(datasets, "DE", Date.UTC(2023, 6, 1)), isNoFactor("no-period"));
    const ember = datasets.filter((dataset) => dataset.id === "eu27-ember-2023");
    const found = findFactor(ember, "DE", Date.UTC(2023, 6, 1));
    assert.equal(found.factor.value, "380.95");
    assert.equal(found.factor.kind, "lifecycle");
  });
});

describe("factorRef", () => {
  it("is keccak256 of the JCS bytes: stable, and changed by any field", () => {
    const { factor } = findFactor(datasets, "GB", Date.UTC(2025, 0, 1));
    const ref = factorRef(factor);
    assert.match(ref, /^0x[0-9a-f]{64}$/);
    // Key order does not matter (JCS sorts members)…
    const reordered = Object.fromEntries(Object.entries(factor).reverse()) as typeof factor;
    assert.equal(factorRef(reordered), ref);
    // …but every value does.
    assert.notEqual(factorRef({ ...factor, value: "177.1" }), ref);
    assert.notEqual(factorRef({ ...factor, version: "2025b" }), ref);
  });
});
