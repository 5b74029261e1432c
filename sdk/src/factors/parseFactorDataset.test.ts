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

const EGRID_SUBREGIONS = [
  "AKGD",
  "AKMS",
  "AZNM",
  "CAMX",
  "ERCT",
  "FRCC",
  "HIMS",
  "HIOA",
  "MROE",
  "MROW",
  "NEWE",
  "NWPP",
  "NYCW",
  "NYLI",
  "NYUP",
  "PRMS",
  "RFCE",
  "RFCM",
  "RFCW",
  "RMPA",
  "SPNO",
  "SPSO",
  "SRMV",
  "SRMW",
  "SRSO",
  "SRTV",
  "SRVC",
];

function isInvalidAt(path: string) {
  return (error: unknown) => error instanceof InvalidInputError && error.path === path;
}

describe("parseFactorDataset", () => {
  describe("the shipped datasets", () => {
    it("US EPA eGRID2023: all 27 subregions shipped, each its lb/MWh figure × 0.45359237", () => {
      const dataset = parseFactorDataset(egrid, "us-epa-egrid2023");
      const camx = dataset.factors.find((factor) => factor.region === "egrid:CAMX");
      // 429.983 lb/MWh × 0.45359237 = 195.03700802971 g/kWh (exact decimal product).
      assert.equal(camx?.value, "195.03700802971");
      assert.deepEqual(camx.period, { startMs: Date.UTC(2023, 0, 1), endMs: Date.UTC(2024, 0, 1) });
      const subregions = dataset.factors
        .map((factor) => factor.region)
        .filter((region) => region !== "egrid:US")
        .sort();
      assert.deepEqual(subregions, EGRID_SUBREGIONS.map((code) => `egrid:${code}`).sort());
      assert.deepEqual(dataset.pending, []);
      // SERC South: 846.007 lb CO2e/MWh × 0.45359237 = 383.74232016659 g/kWh.
      const srso = dataset.factors.find((factor) => factor.region === "egrid:SRSO");
      assert.equal(srso?.value, "383.74232016659");
      assert.deepEqual(srso.published, { value: "846.007", unit: "lb CO2e/MWh" });
    });

    it("US EPA eGRID2023: every subregion has its gas rates, two declared sources and plausible figures", () => {
      const dataset = parseFactorDataset(egrid, "us-epa-egrid2023");
      // eGRID2023's CO2e uses IPCC AR5 GWPs.
      assert.deepEqual(dataset.co2eFromGases?.gwp, { co2: "1", ch4: "28", n2o: "265" });
      assert.equal(dataset.co2eFromGases.unit, "lb/MWh");
      for (const source of dataset.sources ?? []) {
        assert.ok(source.title.length > 0 && source.table.length > 0, source.id);
        assert.equal(source.year, 2023, source.id);
        assert.match(
          source.url,
          /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//,
          source.id,
        );
      }
      for (const code of EGRID_SUBREGIONS) {
        const region = `egrid:${code}`;
        const factor = dataset.factors.find((entry) => entry.region === region);
        const provenance = dataset.provenance?.[region];
        assert.ok(factor !== undefined && provenance?.gases !== undefined, region);
        assert.equal(factor.published?.unit, "lb CO2e/MWh", region);
        assert.equal(factor.unit, "g CO2e/kWh", region);
        assert.equal(factor.kind, "direct", region);
        assert.ok(factor.regionName.length > 0, region);
        assert.deepEqual(
          [...provenance.sources].sort(),
          ["egrid2023-rev2-srl23-transcription", "epa-power-profiler-2023"],
          region,
        );
        const co2e = Number(factor.published.value);
        const { co2, ch4, n2o } = provenance.gases;
        // Plausible for a US grid: between a hydro/nuclear-heavy and an oil-fired system.
        assert.ok(co2e > 150 && co2e < 2000, `${region} CO2e ${co2e}`);
        assert.ok(Number(co2) < co2e, `${region} CO2 below CO2e`);
        assert.ok(Number(ch4) > 0 && Number(ch4) < 1, `${region} CH4 ${ch4}`);
        assert.ok(Number(n2o) > 0 && Number(n2o) < 0.1, `${region} N2O ${n2o}`);
        // The AR5 identity, to the publisher's rounding (the loader checks it exactly too).
        assert.ok(Math.abs(co2e - (Number(co2) + 28 * Number(ch4) + 265 * Number(n2o))) <= 0.1475);
      }
    });

    it("UK DESNZ 2025: 0.17700 kg/kWh = 177 g/kWh for calendar 2025", () => {
      const dataset = parseFactorDataset(uk, "uk-desnz-2025");
      assert.equal(dataset.factors.length, 1);
      assert.equal(dataset.factors[0]?.value, "177");
      assert.equal(dataset.factors[0].region, "GB");
    });

    it("UK DESNZ 2025: T&D losses declared apart from Scope 2, pending with a reason", () => {
      const dataset = parseFactorDataset(uk, "uk-desnz-2025");
      const td = dataset.transmissionAndDistribution;
      assert.equal(td?.id, "uk-desnz-2025-td");
      assert.deepEqual(td.factors, []);
      assert.equal(td.pending.length, 1);
      assert.equal(td.pending[0]?.region, "GB");
      assert.match(td.pending[0].reason, /second independent source/);
      // The Scope 2 list is untouched: GB there is still the generation factor.
      assert.deepEqual(
        dataset.factors.map((factor) => factor.value),
        ["177"],
      );
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
    const withGases = (published: string, gases: Record<string, string>, extra = {}) =>
      minimal({
        unit: "g CO2e/kWh",
        sources: [
          {
            id: "s1",
            title: "t",
            table: "t",
            year: 2023,
            url: "https://example.org/",
            publisher: "p",
          },
        ],
        co2eFromGases: {
          gwpSet: "AR5",
          gwp: { co2: "1", ch4: "28", n2o: "265" },
          unit: "lb/MWh",
          ratesDecimals: 3,
        },
        factors: [
          {
            region: "XX",
            regionName: "T",
            period: { year: 2023 },
            value: "383.74232016659",
            published: { value: published, unit: "lb CO2e/MWh" },
            gases,
            sources: ["s1"],
            ...extra,
          },
        ],
      });
    it("accepts gas rates that add up to the published CO2e within rounding, and keeps them out of the record", () => {
      const dataset = parseFactorDataset(
        withGases("846.007", { co2: "842.329", ch4: "0.056", n2o: "0.008" }),
        "d",
      );
      assert.deepEqual(dataset.provenance?.XX, {
        gases: { co2: "842.329", ch4: "0.056", n2o: "0.008" },
        sources: ["s1"],
      });
      assert.equal("gases" in (dataset.factors[0] ?? {}), false);
    });
    it("refuses gas rates that do not add up to the published CO2e (a transcription slip)", () => {
      // N2O 0.018 instead of 0.008: 2.65 lb/MWh off, far beyond rounding.
      assert.throws(
        () =>
          parseFactorDataset(
            withGases("846.007", { co2: "842.329", ch4: "0.056", n2o: "0.018" }),
            "d",
          ),
        isInvalidAt("d.factors[0].published.value"),
      );
      // CH4 0.066 instead of 0.056: 0.28 lb/MWh off, still beyond the 0.1475 bound.
      assert.throws(
        () =>
          parseFactorDataset(
            withGases("846.007", { co2: "842.329", ch4: "0.066", n2o: "0.008" }),
            "d",
          ),
        isInvalidAt("d.factors[0].published.value"),
      );
    });
    it("refuses a source id the dataset does not declare, and gases without a CO2e method", () => {
      assert.throws(
        () =>
          parseFactorDataset(
            withGases(
              "846.007",
              { co2: "842.329", ch4: "0.056", n2o: "0.008" },
              { sources: ["s2"] },
            ),
            "d",
          ),
        isInvalidAt("d.factors[0].sources[0]"),
      );
      const noMethod = {
        ...withGases("846.007", { co2: "842.329", ch4: "0.056", n2o: "0.008" }),
        co2eFromGases: undefined,
      };
      assert.throws(() => parseFactorDataset(noMethod, "d"), isInvalidAt("d.factors[0].gases"));
    });
    it("checks T&D factors like any other, under their own path", () => {
      const input = minimal({
        transmissionAndDistribution: {
          notes: [],
          factors: [
            {
              region: "XX",
              regionName: "T",
              period: { year: 2024 },
              value: "18.5",
              published: { value: "0.01853", unit: "kg CO2e/kWh" },
            },
          ],
        },
      });
      assert.throws(
        () => parseFactorDataset(input, "d"),
        isInvalidAt("d.transmissionAndDistribution.factors[0].value"),
      );
    });
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
