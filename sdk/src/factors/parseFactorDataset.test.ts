import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidInputError } from "../errors/index.ts";
import eu27Ember from "./data/eu27-ember-2023.json" with { type: "json" };
import eu27 from "./data/eu27-sdes-iea-2021.json" with { type: "json" };
import uk from "./data/uk-desnz-2025.json" with { type: "json" };
import egrid from "./data/us-epa-egrid2023.json" with { type: "json" };
import { FACTOR_DATASET_FORMAT, parseFactorDataset } from "./parseFactorDataset.ts";

function minimal(overrides: Record<string, unknown> = {}) {
  return {
    format: FACTOR_DATASET_FORMAT,
    id: "test",
    source: "test",
    version: "1",
    kind: "direct",
    unit: "g CO2e/kWh",
    citation: { title: "t", url: "https://example.org/", publisher: "p" },
    licence: { name: "l", url: "https://example.org/" },
    notes: [],
    factors: [{ region: "XX", regionName: "Test", period: { year: 2024 }, value: "100" }],
    ...overrides,
  };
}

function isInvalidAt(path: string) {
  return (error: unknown) => error instanceof InvalidInputError && error.path === path;
}

describe("parseFactorDataset", () => {
  describe("the shipped datasets", () => {
    it("US EPA eGRID2023: every shipped figure is its lb/MWh figure × 0.45359237, all 27 subregions accounted for", () => {
      const dataset = parseFactorDataset(egrid, "us-epa-egrid2023");
      const camx = dataset.factors.find((factor) => factor.region === "egrid:CAMX");
      // 429.983 lb/MWh × 0.45359237 = 195.03700802971 g/kWh (exact decimal product).
      assert.equal(camx?.value, "195.03700802971");
      assert.deepEqual(camx.period, { startMs: Date.UTC(2023, 0, 1), endMs: Date.UTC(2024, 0, 1) });
      const subregions = [...dataset.factors, ...dataset.pending]
        .map((entry) => entry.region)
        .filter((region) => region !== "egrid:US");
      assert.equal(new Set(subregions).size, 27);
    });

    it("UK DESNZ 2025: 0.17700 kg/kWh = 177 g/kWh for calendar 2025", () => {
      const dataset = parseFactorDataset(uk, "uk-desnz-2025");
      assert.equal(dataset.factors.length, 1);
      assert.equal(dataset.factors[0]?.value, "177");
      assert.equal(dataset.factors[0].region, "GB");
    });

    it("EU-27: every member state is either shipped or pending with a reason", () => {
      const dataset = parseFactorDataset(eu27, "eu27-sdes-iea-2021");
      const countries = [...dataset.factors, ...dataset.pending]
        .map((entry) => entry.region)
        .filter((region) => region !== "EU27");
      assert.equal(new Set(countries).size, 27);
      assert.equal(dataset.unit, "g CO2/kWh");
    });
    it("EU-27 Ember 2023: all 27 member states and the EU-27, lifecycle g CO2e/kWh, CC BY 4.0", () => {
      const dataset = parseFactorDataset(eu27Ember, "eu27-ember-2023");
      assert.equal(dataset.kind, "lifecycle");
      assert.equal(dataset.unit, "g CO2e/kWh");
      assert.match(dataset.licence.name, /CC BY 4\.0/);
      assert.deepEqual(dataset.pending, []);
      const countries = dataset.factors.map((f) => f.region).filter((region) => region !== "EU27");
      assert.equal(new Set(countries).size, 27);
      const value = (region: string) => dataset.factors.find((f) => f.region === region)?.value;
      assert.equal(value("DE"), "380.95");
      assert.equal(value("FR"), "56.04");
      assert.equal(value("PL"), "661.93");
      assert.equal(value("EU27"), "243.83");
      const at = dataset.factors.find((f) => f.region === "AT");
      assert.deepEqual(at?.period, { startMs: Date.UTC(2023, 0, 1), endMs: Date.UTC(2024, 0, 1) });
    });
  });

  describe("bad datasets", () => {
    it("refuses a converted value that is not the exact conversion of the published one", () => {
      const input = minimal({
        factors: [
          {
            region: "XX",
            regionName: "T",
            period: { year: 2024 },
            value: "195.037",
            published: { value: "429.983", unit: "lb CO2e/MWh" },
          },
        ],
      });
      assert.throws(() => parseFactorDataset(input, "d"), isInvalidAt("d.factors[0].value"));
    });
    it("refuses overlapping periods for one region", () => {
      const input = minimal({
        factors: [
          { region: "XX", regionName: "T", period: { year: 2024 }, value: "1" },
          {
            region: "XX",
            regionName: "T",
            period: { startMs: Date.UTC(2024, 6, 1), endMs: Date.UTC(2025, 6, 1) },
            value: "2",
          },
        ],
      });
      assert.throws(() => parseFactorDataset(input, "d"), isInvalidAt("d.factors[1].period"));
    });
    it("refuses a value with an exponent or a sign", () => {
      assert.throws(
        () =>
          parseFactorDataset(
            minimal({
              factors: [{ region: "XX", regionName: "T", period: { year: 2024 }, value: "-1" }],
            }),
            "d",
          ),
        isInvalidAt("d.factors[0].value"),
      );
    });
    it("refuses a missing format tag and unknown fields", () => {
      assert.throws(
        () => parseFactorDataset(minimal({ format: "other@1" }), "d"),
        isInvalidAt("d.format"),
      );
      assert.throws(() => parseFactorDataset(minimal({ extra: 1 }), "d"), isInvalidAt("d"));
    });
    it("refuses a region both shipped and pending", () => {
      assert.throws(
        () =>
          parseFactorDataset(
            minimal({ pending: [{ region: "XX", regionName: "T", reason: "r" }] }),
            "d",
          ),
        isInvalidAt("d.pending[0].region"),
      );
    });
  });
});
