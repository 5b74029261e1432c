import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { averageIntensityToFactorRecord } from "../averageIntensityToFactorRecord.ts";
import { elementAt } from "../../accounting/elementAt.ts";
import { InvalidInputError } from "../../errors/index.ts";
import type { MarginalSignal } from "../intensityTypes.ts";
import {
  T0,
  electricityMapsEntry,
  electricityMapsHistoryBody,
  ukRegionalBody,
  wattTimeBody,
} from "./apiResponseFixtures.testHelper.ts";
import { parseElectricityMapsCarbonIntensity } from "./parseElectricityMapsCarbonIntensity.ts";
import { parseUkCarbonIntensityRegional } from "./parseUkCarbonIntensityRegional.ts";
import { parseWattTimeLogin, parseWattTimeSignal } from "./parseWattTimeSignal.ts";

const HOUR = 3_600_000;
const retrievedAtMs = T0 + 2 * HOUR;

describe("parseUkCarbonIntensityRegional", () => {
  it("reads half-hourly regional forecasts as direct, CO2-only, estimated figures with provenance", () => {
    const series = parseUkCarbonIntensityRegional({
      body: ukRegionalBody(13, [180, 200]),
      regionId: 13,
      startMs: T0,
      endMs: T0 + HOUR,
      retrievedAtMs,
    });
    assert.deepEqual(series.problems, []);
    assert.deepEqual(
      series.points.map((p) => p.gramsPerKilowattHour),
      ["180", "200"],
    );
    const first = elementAt(series.points, 0);
    assert.equal(first.kind, "direct");
    assert.equal(first.co2Only, true);
    assert.equal(first.estimated, true);
    assert.deepEqual(first.provenance.period, { startMs: T0, endMs: T0 + 1_800_000 });
    assert.equal(first.provenance.region, "regionid:13");
    assert.equal(first.provenance.retrievedAtMs, retrievedAtMs);
  });

  it("reports a missing half-hour, a null, a negative and an absurd value each with its reason, and keeps the rest", () => {
    const series = parseUkCarbonIntensityRegional({
      body: ukRegionalBody(13, [180, null, -4, 25_000]),
      regionId: 13,
      startMs: T0,
      endMs: T0 + 3 * HOUR,
      retrievedAtMs,
    });
    assert.deepEqual(
      series.points.map((p) => p.gramsPerKilowattHour),
      ["180"],
    );
    assert.deepEqual(
      series.problems.map((p) => p.reason),
      [
        "missing-interval",
        "negative-intensity",
        "absurd-intensity",
        "missing-interval",
        "missing-interval",
      ],
    );
    assert.equal(series.problems[3]?.period.startMs, T0 + 2 * HOUR);
  });

  it("calls a different shape or another region a changed format, with no points", () => {
    for (const body of [{ data: [{ from: "x" }] }, "<html>", ukRegionalBody(12, [100, 100])]) {
      const series = parseUkCarbonIntensityRegional({
        body,
        regionId: 13,
        startMs: T0,
        endMs: T0 + HOUR,
        retrievedAtMs,
      });
      assert.equal(series.points.length, 0);
      assert.equal(series.problems[0]?.reason, "changed-format");
    }
  });
});

describe("parseElectricityMapsCarbonIntensity", () => {
  it("reads history hours and keeps the stated kind; an estimated hour says so", () => {
    const body = {
      zone: "DE",
      history: [
        electricityMapsEntry("DE", T0, 412.5, "direct", true),
        electricityMapsEntry("DE", T0 + HOUR, 380, "direct"),
      ],
    };
    const series = parseElectricityMapsCarbonIntensity({
      body,
      endpoint: "history",
      zone: "DE",
      kind: "direct",
      startMs: T0,
      endMs: T0 + 2 * HOUR,
      retrievedAtMs,
    });
    assert.deepEqual(series.problems, []);
    assert.deepEqual(
      series.points.map((p) => [p.gramsPerKilowattHour, p.kind, p.estimated]),
      [
        ["412.5", "direct", true],
        ["380", "direct", false],
      ],
    );
    assert.match(series.points[0]?.provenance.version ?? "", /estimated \(TIME_SLICER_AVERAGE\)/u);
  });

  it("refuses a lifecycle answer where direct was asked for (wrong-kind), never using it as the other", () => {
    const series = parseElectricityMapsCarbonIntensity({
      body: electricityMapsHistoryBody("DE", [400], "lifecycle"),
      endpoint: "history",
      zone: "DE",
      kind: "direct",
      startMs: T0,
      endMs: T0 + HOUR,
      retrievedAtMs,
    });
    assert.equal(series.points.length, 0);
    assert.equal(series.problems[0]?.reason, "wrong-kind");
  });

  it("reads latest; a missing emissionFactorType is a changed format", () => {
    const latest = parseElectricityMapsCarbonIntensity({
      body: electricityMapsEntry("FR", T0, 56),
      endpoint: "latest",
      zone: "FR",
      kind: "direct",
      retrievedAtMs,
    });
    assert.equal(latest.points[0]?.gramsPerKilowattHour, "56");
    const { emissionFactorType: _omit, ...without } = electricityMapsEntry("FR", T0, 56);
    const changed = parseElectricityMapsCarbonIntensity({
      body: without,
      endpoint: "latest",
      zone: "FR",
      kind: "direct",
      retrievedAtMs,
    });
    assert.equal(changed.problems[0]?.reason, "changed-format");
  });

  it("a null hour and an absent hour are both missing", () => {
    const series = parseElectricityMapsCarbonIntensity({
      body: electricityMapsHistoryBody("DE", [300, null]),
      endpoint: "history",
      zone: "DE",
      kind: "direct",
      startMs: T0,
      endMs: T0 + 3 * HOUR,
      retrievedAtMs,
    });
    assert.deepEqual(
      series.problems.map((p) => [p.reason, (p.period.startMs - T0) / HOUR]),
      [
        ["missing-interval", 1],
        ["missing-interval", 2],
      ],
    );
  });
});

describe("WattTime marginal signals", () => {
  it("parses login and signals; marginal signals are never factors (by type and at run time)", () => {
    assert.equal(parseWattTimeLogin({ token: "abc.def" }), "abc.def");
    assert.equal(parseWattTimeLogin({ access: "x" }), undefined);
    const series = parseWattTimeSignal({
      body: wattTimeBody("CAISO_NORTH", [850.2, 910], "lbs_co2_per_mwh", true),
      region: "CAISO_NORTH",
      forecast: true,
      retrievedAtMs,
    });
    assert.equal(series.points.length, 2);
    const point: MarginalSignal | undefined = series.points[0];
    assert.equal(point?.kind, "marginal");
    assert.throws(
      () =>
        averageIntensityToFactorRecord({
          sourceId: "watttime",
          value: "1",
          // @ts-expect-error a MarginalSignal is not an AverageIntensity: the compiler refuses it too.
          from: series.points,
          period: { startMs: T0, endMs: T0 + HOUR },
          citation: { title: "t", url: "https://example.org", publisher: "p" },
          licence: { name: "l", url: "https://example.org" },
        }),
      (error: unknown) => error instanceof InvalidInputError && error.path === "from[0].kind",
    );
  });

  it("reports a percentile above 100 and a changed meta", () => {
    const series = parseWattTimeSignal({
      body: wattTimeBody("CAISO_NORTH", [40, 140], "percentile"),
      region: "CAISO_NORTH",
      forecast: false,
      retrievedAtMs,
    });
    assert.deepEqual(
      series.problems.map((p) => p.reason),
      ["absurd-intensity"],
    );
    const changed = parseWattTimeSignal({
      body: { data: [], meta: { region: "X", signal_type: "co2_moer", units: "kg" } },
      region: "X",
      forecast: false,
      retrievedAtMs,
    });
    assert.equal(changed.problems[0]?.reason, "changed-format");
  });
});
