import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InvalidInputError } from "../errors/index.ts";
import { loadShippedFactorDatasets } from "../factors/loadShippedFactorDatasets.ts";
import { parseContractualInstruments } from "./contractualInstruments.ts";
import type { ContractualInstrument } from "./contractualInstruments.ts";
import { marketBasedEmissions } from "./marketBasedEmissions.ts";
import { scope2Emissions } from "./scope2Emissions.ts";

const datasets = loadShippedFactorDatasets();
const HOUR = 3_600_000;
const T = Date.UTC(2025, 2, 3, 8);
const KWH = 1_000_000n;
const location = { datasets, region: "GB" };
const hours = (consumptionKwh: readonly number[]) =>
  consumptionKwh.map((kwh, index) => ({
    startMs: T + index * HOUR,
    endMs: T + (index + 1) * HOUR,
    consumptionMilliWattHours: BigInt(kwh) * KWH,
  }));
const go = (overrides: Partial<ContractualInstrument> = {}): ContractualInstrument => ({
  certificateId: "GO-1",
  type: "guarantee-of-origin",
  market: "GB",
  energySource: "wind",
  productionPeriod: { startMs: Date.UTC(2025, 0, 1), endMs: Date.UTC(2026, 0, 1) },
  volumeMilliWattHours: 5n * KWH,
  emissionFactorGramsPerKilowattHour: "0",
  ...overrides,
});

describe("marketBasedEmissions: Scope 2 quality criteria", () => {
  it("rejects an instrument from another market, of another vintage, or already used up, each with its reason", () => {
    const result = marketBasedEmissions({
      hours: hours([10]),
      market: "GB",
      instruments: [
        go({ certificateId: "FR-1", market: "FR" }),
        go({
          certificateId: "OLD-1",
          productionPeriod: { startMs: Date.UTC(2023, 0, 1), endMs: Date.UTC(2024, 0, 1) },
        }),
        go({ certificateId: "USED-1" }),
        go({ certificateId: "PART-1" }),
      ],
      alreadyClaimed: [
        { certificateId: "USED-1", milliWattHours: 5n * KWH },
        { certificateId: "PART-1", milliWattHours: 3n * KWH },
      ],
      location,
    });
    assert.deepEqual(
      result.instruments.map((use) => [
        use.certificateId,
        use.status,
        use.reason ?? null,
        use.usedMilliWattHours,
      ]),
      [
        ["FR-1", "rejected", "outside-market-boundary", 0n],
        ["OLD-1", "rejected", "vintage-outside-period", 0n],
        ["USED-1", "rejected", "volume-used-up", 0n],
        // 5 kWh minus 3 claimed elsewhere: 2 kWh left, applied.
        ["PART-1", "applied", null, 2n * KWH],
      ],
    );
    // 8 kWh left × 177 g/kWh (location fallback, no GB residual mix) = 1 416 g.
    assert.equal(result.emissionsMilligramsCo2e, 1_416_000n);
    assert.deepEqual(result.flags, [
      "location-factors-used-no-residual-mix",
      "instrument-rejected",
    ]);
  });

  it("a PPA's hourly delivery covers only its own hour; surplus is not banked", () => {
    const ppa = go({
      certificateId: "PPA-1",
      type: "ppa",
      energySource: "solar",
      volumeMilliWattHours: 12n * KWH,
      hourlyDelivery: [{ startMs: T, milliWattHours: 12n * KWH }],
    });
    const result = marketBasedEmissions({
      hours: hours([10, 10]),
      market: "GB",
      instruments: [ppa],
      location,
    });
    assert.deepEqual(
      result.hours.map((h) => h.residualMilliWattHours),
      [0n, 10n * KWH],
    );
    assert.equal(result.instruments[0]?.remainingMilliWattHours, 2n * KWH);
    assert.equal(result.matching.scorePartsPerMillion, 500_000n);
  });

  it("refuses bad hours with a path, and an empty list", () => {
    assert.throws(
      () => marketBasedEmissions({ hours: [], market: "GB", location }),
      InvalidInputError,
    );
    assert.throws(
      () =>
        marketBasedEmissions({
          hours: [{ startMs: T, endMs: T + 2 * HOUR, consumptionMilliWattHours: 1n }],
          market: "GB",
          location,
        }),
      (error: unknown) => error instanceof InvalidInputError && error.path === "hours[0]",
    );
  });

  it("flags a run with nothing market-specific to apply", () => {
    const result = marketBasedEmissions({ hours: hours([1]), market: "GB", location });
    assert.deepEqual(result.flags, [
      "no-contractual-instruments-or-on-site-generation-registered",
      "location-factors-used-no-residual-mix",
    ]);
  });
});

describe("parseContractualInstruments", () => {
  it("refuses hourly deliveries that do not add up to the volume, naming the field", () => {
    const file = {
      format: "ei-contractual-instruments-v1",
      instruments: [
        {
          ...go(),
          volumeMilliWattHours: "5000000",
          productionPeriod: { startMs: T, endMs: T + 2 * HOUR },
          hourlyDelivery: [{ startMs: T, milliWattHours: "1" }],
        },
      ],
    };
    assert.throws(
      () => parseContractualInstruments(file),
      (error: unknown) =>
        error instanceof InvalidInputError &&
        error.path === "instrumentsFile.instruments[0].volumeMilliWattHours",
    );
  });
});

describe("properties", () => {
  it("energy balances, emissions add up, market ≤ location with zero-rate instruments and no residual mix", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            c: fc.bigInt({ min: 0n, max: 50_000_000n }),
            pv: fc.bigInt({ min: 0n, max: 50_000_000n }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        fc.bigInt({ min: 0n, max: 500_000_000n }),
        (rows, volume) => {
          const input = rows.map((row, index) => ({
            startMs: T + index * HOUR,
            endMs: T + (index + 1) * HOUR,
            consumptionMilliWattHours: row.c,
            onSite: [{ source: "solar" as const, milliWattHours: row.pv }],
          }));
          const { locationBased, marketBased } = scope2Emissions({
            hours: input,
            market: "GB",
            instruments: [go({ volumeMilliWattHours: volume })],
            location,
          });
          for (const hour of marketBased.hours) {
            assert.equal(
              hour.selfConsumptionMilliWattHours + hour.gridImportMilliWattHours,
              hour.consumptionMilliWattHours,
            );
            assert.equal(
              hour.selfConsumptionMilliWattHours + hour.exportMilliWattHours,
              hour.onSiteGenerationMilliWattHours,
            );
            const covered = hour.instruments.reduce((sum, i) => sum + i.milliWattHours, 0n);
            assert.equal(covered + hour.residualMilliWattHours, hour.gridImportMilliWattHours);
          }
          assert.equal(
            marketBased.hours.reduce((s, h) => s + h.emissionsMilligramsCo2e, 0n),
            marketBased.emissionsMilligramsCo2e,
          );
          assert.ok(marketBased.emissionsMilligramsCo2e <= locationBased.emissionsMilligramsCo2e);
          assert.ok((marketBased.instruments[0]?.usedMilliWattHours ?? 0n) <= volume);
        },
      ),
      { numRuns: 100 },
    );
  });
});
