import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { elementAt } from "../accounting/elementAt.ts";
import type { ContractualInstrument } from "../accounting/contractualInstruments.ts";
import { cidToHex } from "../cid/cidToHex.ts";
import { computeCid } from "../cid/computeCid.ts";
import { loadShippedResidualMixDatasets } from "../factors/loadShippedResidualMixDatasets.ts";
import { canonicalJsonBytes } from "../json/index.ts";
import { buildContainer } from "./buildContainer.ts";
import type { ContainerDocument } from "./containerDocumentSchema.ts";
import {
  containerParameters,
  DEVICE_A,
  DEVICE_B,
  makeReadings,
  RESIDUAL_MIX,
} from "./containerFixture.testHelper.ts";
import { containerHeaderFromDocument } from "./containerHeaderFromDocument.ts";
import { verifyContainer } from "./verifyContainer.ts";

const config = { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 };
/** Device B as a SunSpec inverter: what it produced is on its exported counter. */
const solarReadings = makeReadings(DEVICE_B, 7_000).map((reading) => ({
  ...reading,
  energyImportedMilliWattHours: 0n,
  energyExportedMilliWattHours: reading.energyImportedMilliWattHours,
}));
const GO_VOLUME = 30_000_000_000n;
const instruments: ContractualInstrument[] = [
  {
    certificateId: "GO-GB-2025-06-0001",
    type: "guarantee-of-origin",
    market: "GB",
    energySource: "wind",
    productionPeriod: { startMs: Date.UTC(2025, 5, 1), endMs: Date.UTC(2025, 6, 1) },
    volumeMilliWattHours: GO_VOLUME,
    emissionFactorGramsPerKilowattHour: "0",
  },
  {
    certificateId: "GO-DE-2025-06-0042",
    type: "guarantee-of-origin",
    market: "DE",
    energySource: "solar",
    productionPeriod: { startMs: Date.UTC(2025, 5, 1), endMs: Date.UTC(2025, 6, 1) },
    volumeMilliWattHours: 10_000_000_000n,
    emissionFactorGramsPerKilowattHour: "0",
  },
];

function build(usedBefore: bigint, residualRegion = "GB-residual") {
  return buildContainer(
    containerParameters({
      channels: [
        { deviceId: DEVICE_A, channel: 0, config },
        { deviceId: DEVICE_B, channel: 0, config, role: "generation", source: "solar" },
      ],
      readings: [...makeReadings(DEVICE_A, 12_000), ...solarReadings],
      factors: {
        location: { datasets: containerParameters().factors.location.datasets, region: "GB" },
        scope2: {
          market: "GB",
          instruments,
          usedBefore: [{ certificateId: "GO-GB-2025-06-0001", milliWattHours: usedBefore }],
          residualMix: {
            datasets: [RESIDUAL_MIX, ...loadShippedResidualMixDatasets()],
            region: residualRegion,
          },
        },
      },
    }),
  );
}

function rebuilt(document: ContainerDocument) {
  const documentBytes = canonicalJsonBytes(document);
  return {
    documentBytes,
    header: containerHeaderFromDocument(document, cidToHex(computeCid(documentBytes))),
  };
}

describe("a container with both Scope 2 methods (ei-container-v3)", () => {
  // The GO has 30 000 000 000 mWh, 29 800 000 000 of them used by earlier containers: 2·10^8 left.
  const built = build(29_800_000_000n);
  const { document } = built;
  const scope2 = document.scope2;

  it("nets the inverter hour by hour, applies the GO under the quality criteria, prices the rest at the residual mix", async () => {
    assert.equal(document.format, "ei-container-v3");
    assert.ok(scope2 !== undefined);
    assert.equal(document.hours.length, 2); // 12:30–13:00 and 13:00–13:30
    let remaining = GO_VOLUME - 29_800_000_000n;
    let residualMilliWattHours = 0n;
    let gridImportTotal = 0n;
    let selfTotal = 0n;
    for (const [index, hour] of scope2.hours.entries()) {
      const consumption = BigInt(hour.consumptionMilliWattHours);
      const generation = BigInt(elementAt(hour.onSiteGeneration, 0).milliWattHours);
      // The document's hour energy is the consumption channel's alone.
      assert.equal(
        elementAt(document.hours, index).energyImportedMilliWattHours,
        hour.consumptionMilliWattHours,
      );
      const self = consumption < generation ? consumption : generation;
      assert.equal(hour.selfConsumptionMilliWattHours, self.toString());
      assert.equal(hour.exportMilliWattHours, (generation - self).toString());
      const gridImport = consumption - self;
      assert.equal(hour.gridImportMilliWattHours, gridImport.toString());
      // The GO covers what it has left, earliest hour first; the DE certificate covers nothing.
      const covered = gridImport < remaining ? gridImport : remaining;
      remaining -= covered;
      assert.deepEqual(
        hour.instruments,
        covered === 0n
          ? []
          : [{ certificateId: "GO-GB-2025-06-0001", milliWattHours: covered.toString() }],
      );
      assert.equal(hour.residualMilliWattHours, (gridImport - covered).toString());
      assert.equal(hour.residualBasis, "residual-mix");
      residualMilliWattHours += gridImport - covered;
      gridImportTotal += gridImport;
      selfTotal += self;
    }
    assert.ok(remaining === 0n && residualMilliWattHours > 0n, "the GO runs out inside the period");
    const rejected = elementAt(scope2.instruments, 1);
    assert.equal(rejected.status, "rejected");
    assert.equal(rejected.reason, "outside-market-boundary");
    assert.ok(document.flags.emissions.includes("instrument-rejected"));
    assert.equal(elementAt(scope2.instruments, 0).usedBeforeMilliWattHours, "29800000000");
    // Market-based: residual × 301.25 g/kWh (the GO conveys 0); mg = mWh × g/kWh / 1000, half-even once.
    const exact = residualMilliWattHours * 30125n; // × 10^-5 mg
    const market = exact / 100_000n + (exact % 100_000n > 50_000n ? 1n : 0n);
    assert.equal(document.totals.emissionsMarketMilligramsCo2e, market.toString());
    assert.equal(scope2.marketBased.emissionsMilligramsCo2e, market.toString());
    // Location-based: the grid import (after self-consumption) × DESNZ 2025's 177 g/kWh.
    const location = (gridImportTotal * 177n + 500n) / 1000n;
    assert.equal(document.totals.emissionsLocationMilligramsCo2e, location.toString());
    assert.equal(scope2.locationBased.emissionsMilligramsCo2e, location.toString());
    // Hourly matching: solar self-consumption is carbon-free in the same hour; the GO is not hourly.
    assert.equal(
      scope2.matching.scorePartsPerMillion,
      ((selfTotal * 1_000_000n) / BigInt(document.totals.energyImportedMilliWattHours)).toString(),
    );
    const result = await verifyContainer({
      header: built.header,
      documentBytes: built.documentBytes,
    });
    assert.ok(result.ok, result.firstFailure?.detail);
  });

  it("each hour's market factor is the derived rate, so a footprint allocating energy × rate gets the market-based figure", () => {
    for (const [index, hour] of document.hours.entries()) {
      assert.equal(hour.marketBasis, "market-based-rate");
      const rate = document.factors.find((entry) => entry.ref === hour.marketFactorRef)?.factor;
      assert.equal(rate?.datasetId, "ei-market-based-rate");
      const mg = BigInt(elementAt(scope2?.hours ?? [], index).emissionsMarketMilligramsCo2e);
      const energy = BigInt(hour.energyImportedMilliWattHours);
      // rate × energy / 1000 lands within 1 mg of the hour's market-based figure (rate rounded at 6 places).
      const [whole = "0", fraction = ""] = rate.value.split(".");
      const scaled = BigInt(whole + fraction.padEnd(6, "0"));
      const back = (scaled * energy) / 1_000_000_000n;
      assert.ok(back - mg <= 1n && mg - back <= 1n, `${back} vs ${mg}`);
    }
  });

  it("the volume already used elsewhere changes the result; a forged usedBefore is named by ei verify", async () => {
    const used = build(GO_VOLUME);
    const go = elementAt(used.document.scope2?.instruments ?? [], 0);
    assert.equal(go.status, "rejected");
    assert.equal(go.reason, "volume-used-up");
    assert.ok(
      BigInt(used.document.totals.emissionsMarketMilligramsCo2e) >
        BigInt(document.totals.emissionsMarketMilligramsCo2e),
    );
    const forged = structuredClone(document);
    const forgedGo = elementAt(forged.scope2?.instruments ?? [], 0);
    forgedGo.usedBeforeMilliWattHours = "0";
    const tampered = rebuilt(forged);
    const result = await verifyContainer({
      header: tampered.header,
      documentBytes: tampered.documentBytes,
    });
    assert.equal(result.firstFailure?.id, "emissions");
    assert.match(result.firstFailure.detail, /scope2/u);
  });

  it("a residual mix still pending falls back to the location factor, flagged, never zero", async () => {
    const pending = build(29_800_000_000n, "DE");
    const hours = pending.document.scope2?.hours ?? [];
    for (const [index, hour] of hours.entries()) {
      assert.equal(hour.residualBasis, "location-fallback");
      assert.equal(
        hour.residualFactorRef,
        elementAt(pending.document.hours, index).locationFactorRef,
      );
    }
    assert.ok(pending.document.flags.emissions.includes("location-factors-used-no-residual-mix"));
    const result = await verifyContainer({
      header: pending.header,
      documentBytes: pending.documentBytes,
    });
    assert.ok(result.ok, result.firstFailure?.detail);
  });

  it("keeps old versions verifiable and refuses v3 fields in them", async () => {
    const v1 = buildContainer(containerParameters());
    assert.equal(v1.document.format, "ei-container-v1");
    assert.ok((await verifyContainer({ header: v1.header, documentBytes: v1.documentBytes })).ok);
    const mixed = structuredClone(v1.document);
    mixed.scope2 = structuredClone(scope2);
    const c = rebuilt(mixed);
    const result = await verifyContainer({ header: c.header, documentBytes: c.documentBytes });
    assert.equal(result.firstFailure?.id, "document");
    assert.throws(
      () =>
        buildContainer(
          containerParameters({
            channels: [
              { deviceId: DEVICE_A, channel: 0, config },
              { deviceId: DEVICE_B, channel: 0, config, role: "generation", source: "solar" },
            ],
          }),
        ),
      /factors\.scope2/u,
    );
  });
});
