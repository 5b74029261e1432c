import { describe, it } from "node:test";
import assert from "node:assert/strict";
import ppaMonth from "../../../test/fixtures/emissions/ppa-month-residual-mix.json" with { type: "json" };
import claimedTwice from "../../../test/fixtures/emissions/certificate-claimed-twice.json" with { type: "json" };
import solarDay from "../../../test/fixtures/emissions/solar-day-netted-hourly.json" with { type: "json" };
import { loadShippedFactorDatasets } from "../factors/loadShippedFactorDatasets.ts";
import { parseFactorDataset } from "../factors/parseFactorDataset.ts";
import { parseContractualInstruments } from "./contractualInstruments.ts";
import type { EnergySourceName } from "./contractualInstruments.ts";
import type { HourBalance } from "./marketBasedEmissions.ts";
import { scope2Emissions } from "./scope2Emissions.ts";

// The arithmetic behind every expected figure is written out in test/fixtures/emissions/README.md.
const datasets = loadShippedFactorDatasets();
const HOUR = 3_600_000;

interface HourJson {
  startMs: number;
  endMs: number;
  consumptionMilliWattHours: string;
  onSite?: { source: string; milliWattHours: string }[];
}
const toHours = (hours: readonly HourJson[]): HourBalance[] =>
  hours.map((hour) => ({
    startMs: hour.startMs,
    endMs: hour.endMs,
    consumptionMilliWattHours: BigInt(hour.consumptionMilliWattHours),
    onSite: (hour.onSite ?? []).map((g) => ({
      source: g.source as EnergySourceName,
      milliWattHours: BigInt(g.milliWattHours),
    })),
  }));

describe("reference scenario 1: a day with on-site solar netted hourly", () => {
  it("nets PV hour by hour and reports both methods and the matching score", () => {
    const { locationBased, marketBased } = scope2Emissions({
      hours: toHours(solarDay.hours),
      market: solarDay.market,
      instruments: [],
      location: { datasets, region: solarDay.location.region },
    });
    const e = solarDay.expected;
    const t = marketBased.totals;
    assert.equal(t.consumptionMilliWattHours.toString(), e.consumptionMilliWattHours);
    assert.equal(t.onSiteGenerationMilliWattHours.toString(), e.onSiteGenerationMilliWattHours);
    assert.equal(t.selfConsumptionMilliWattHours.toString(), e.selfConsumptionMilliWattHours);
    assert.equal(t.exportMilliWattHours.toString(), e.exportMilliWattHours);
    assert.equal(t.gridImportMilliWattHours.toString(), e.gridImportMilliWattHours);
    assert.deepEqual(
      marketBased.hours.map((h) => Number(h.selfConsumptionMilliWattHours / 1_000_000n)),
      e.hourlySelfConsumptionKilowattHours,
    );
    assert.deepEqual(
      marketBased.hours.map((h) => Number(h.exportMilliWattHours / 1_000_000n)),
      e.hourlyExportKilowattHours,
    );
    assert.equal(locationBased.emissionsMilligramsCo2e.toString(), e.locationBasedMilligramsCo2e);
    assert.equal(marketBased.emissionsMilligramsCo2e.toString(), e.marketBasedMilligramsCo2e);
    assert.equal(
      marketBased.matching.scorePartsPerMillion?.toString(),
      e.matchingScorePartsPerMillion,
    );
    assert.deepEqual(marketBased.flags, e.marketFlags);
  });
});

describe("reference scenario 2: a month with a PPA and a residual mix", () => {
  it("matches the PPA hour by hour, spends the GO earliest first, prices the rest at the residual mix", () => {
    const spec = ppaMonth.hoursSpec;
    const hours: HourBalance[] = [];
    for (let t = spec.startMs; t < spec.endMs; t += HOUR)
      hours.push({
        startMs: t,
        endMs: t + HOUR,
        consumptionMilliWattHours: BigInt(spec.consumptionMilliWattHours),
      });
    // Expand the PPA's compact delivery profile into its hourly deliveries, then validate the file as a user's would be.
    const instruments = parseContractualInstruments({
      format: "ei-contractual-instruments-v1",
      instruments: ppaMonth.instruments.map(({ hourlyDeliverySpec, ...instrument }) => {
        if (hourlyDeliverySpec === undefined) return instrument;
        const hourlyDelivery = hours
          .filter((hour) =>
            hourlyDeliverySpec.hoursUtc.includes(new Date(hour.startMs).getUTCHours()),
          )
          .map((hour) => ({
            startMs: hour.startMs,
            milliWattHours: hourlyDeliverySpec.milliWattHours,
          }));
        return { ...instrument, hourlyDelivery };
      }),
    });
    const residual = parseFactorDataset(ppaMonth.residualMixDataset, "fixture");
    const { locationBased, marketBased } = scope2Emissions({
      hours,
      market: ppaMonth.market,
      instruments,
      residualMix: { datasets: [residual], region: ppaMonth.residualMix.region },
      location: { datasets, region: ppaMonth.location.region, policy: "latest-available" },
    });
    const e = ppaMonth.expected;
    assert.equal(
      marketBased.totals.consumptionMilliWattHours.toString(),
      e.consumptionMilliWattHours,
    );
    assert.equal(
      marketBased.totals.coveredByInstrumentsMilliWattHours.toString(),
      e.coveredByInstrumentsMilliWattHours,
    );
    assert.equal(marketBased.totals.residualMilliWattHours.toString(), e.residualMilliWattHours);
    assert.equal(
      marketBased.instruments[0]?.usedMilliWattHours.toString(),
      e.ppaUsedMilliWattHours,
    );
    assert.equal(marketBased.instruments[1]?.usedMilliWattHours.toString(), e.goUsedMilliWattHours);
    const goHours = marketBased.hours.filter((hour) =>
      hour.instruments.some((i) => i.certificateId === "GO-DE-HYDRO-0000042"),
    );
    const last = goHours[goHours.length - 1];
    assert.equal(last?.startMs, e.goLastHourStartMs);
    assert.equal(
      last.instruments.find((i) => i.certificateId.startsWith("GO"))?.milliWattHours.toString(),
      e.goLastHourMilliWattHours,
    );
    assert.equal(marketBased.emissionsMilligramsCo2e.toString(), e.marketBasedMilligramsCo2e);
    assert.equal(locationBased.emissionsMilligramsCo2e.toString(), e.locationBasedMilligramsCo2e);
    assert.deepEqual(locationBased.flags, e.locationFlags);
    assert.deepEqual(marketBased.flags, e.marketFlags);
    assert.equal(
      marketBased.matching.scorePartsPerMillion?.toString(),
      e.matchingScorePartsPerMillion,
    );
    // The hours' integers add up to the total, which was rounded once.
    assert.equal(
      marketBased.hours.reduce((sum, hour) => sum + hour.emissionsMilligramsCo2e, 0n),
      marketBased.emissionsMilligramsCo2e,
    );
  });
});

describe("reference scenario 3: a certificate claimed twice in one run", () => {
  it("applies the first registration, rejects the second with its reason, and prices what it would have covered", () => {
    const instruments = parseContractualInstruments({
      format: "ei-contractual-instruments-v1",
      instruments: claimedTwice.instruments,
    });
    const { locationBased, marketBased } = scope2Emissions({
      hours: toHours(claimedTwice.hours),
      market: claimedTwice.market,
      instruments,
      location: { datasets, region: claimedTwice.location.region },
    });
    const e = claimedTwice.expected;
    assert.deepEqual(
      marketBased.instruments
        .filter((use) => use.status === "rejected")
        .map((use) => ({ index: use.index, certificateId: use.certificateId, reason: use.reason })),
      e.rejected,
    );
    assert.equal(
      marketBased.totals.coveredByInstrumentsMilliWattHours.toString(),
      e.coveredByInstrumentsMilliWattHours,
    );
    assert.equal(marketBased.totals.residualMilliWattHours.toString(), e.residualMilliWattHours);
    assert.equal(marketBased.emissionsMilligramsCo2e.toString(), e.marketBasedMilligramsCo2e);
    assert.equal(locationBased.emissionsMilligramsCo2e.toString(), e.locationBasedMilligramsCo2e);
    assert.equal(
      marketBased.matching.scorePartsPerMillion?.toString(),
      e.matchingScorePartsPerMillion,
    );
    assert.deepEqual(marketBased.flags, e.marketFlags);
  });
});
