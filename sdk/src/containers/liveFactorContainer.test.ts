import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { canonicalJsonBytes } from "../json/index.ts";
import { hourCutsMs } from "../accounting/hourCutsMs.ts";
import { elementAt } from "../accounting/elementAt.ts";
import { loadShippedFactorDatasets } from "../factors/loadShippedFactorDatasets.ts";
import { resolveHourlyFactors } from "../factors/resolveHourlyFactors.ts";
import { parseUkCarbonIntensityRegional } from "../factors/sources/parseUkCarbonIntensityRegional.ts";
import { ukRegionalBody } from "../factors/sources/apiResponseFixtures.testHelper.ts";
import { buildContainer } from "./buildContainer.ts";
import type { ContainerDocument } from "./containerDocumentSchema.ts";
import { containerHeaderFromDocument } from "./containerHeaderFromDocument.ts";
import {
  containerParameters,
  PERIOD_END_MS,
  PERIOD_START_MS,
} from "./containerFixture.testHelper.ts";
import { cidToHex } from "../cid/cidToHex.ts";
import { computeCid } from "../cid/computeCid.ts";
import { verifyContainer } from "./verifyContainer.ts";

const HOUR = 3_600_000;
const datasets = loadShippedFactorDatasets();
const cuts = hourCutsMs(PERIOD_START_MS, PERIOD_END_MS);
const hours = cuts.slice(1).map((endMs, index) => ({ startMs: elementAt(cuts, index), endMs }));
// Live figures for 12:00–13:00 only: 13:00–13:30 is missing and falls back to DESNZ 2025.
const clockStart = Math.floor(PERIOD_START_MS / HOUR) * HOUR;
const series = parseUkCarbonIntensityRegional({
  body: ukRegionalBody(13, [180, 200], clockStart),
  regionId: 13,
  startMs: clockStart,
  endMs: clockStart + 2 * HOUR,
  retrievedAtMs: PERIOD_END_MS + 60_000,
});
const hourlyFactors = resolveHourlyFactors({
  hours,
  live: {
    sourceId: "uk-carbon-intensity",
    kind: "direct",
    series,
    citation: {
      title: "Carbon Intensity API",
      url: "https://carbonintensity.org.uk/",
      publisher: "NESO",
    },
    licence: { name: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/" },
  },
  shipped: { datasets, region: "GB" },
});

function rebuilt(document: ContainerDocument) {
  const documentBytes = canonicalJsonBytes(document);
  return {
    documentBytes,
    header: containerHeaderFromDocument(document, cidToHex(computeCid(documentBytes))),
  };
}

describe("a container with live location factors (ei-container-v2)", () => {
  const built = buildContainer(
    containerParameters({ factors: { location: { datasets, region: "GB", hourlyFactors } } }),
  );

  it("records the live factor, the fallback with its reason, and the flags; ei verify recomputes both methods", async () => {
    const { document } = built;
    assert.equal(document.format, "ei-container-v2");
    const [first, second] = [elementAt(document.hours, 0), elementAt(document.hours, 1)];
    assert.equal(first.locationFallback, undefined);
    assert.equal(first.locationEstimated, true);
    assert.deepEqual(
      second.locationFallback && {
        sourceId: second.locationFallback.sourceId,
        reason: second.locationFallback.reason,
      },
      { sourceId: "uk-carbon-intensity", reason: "missing-interval" },
    );
    assert.ok(document.flags.emissions.includes("factor-live-fallback-to-shipped"));
    assert.ok(document.flags.emissions.includes("factor-estimated"));
    const live = document.factors.find(
      (entry) => entry.factor.datasetId === "live:uk-carbon-intensity",
    );
    assert.equal(live?.factor.value, "190");
    const result = await verifyContainer({
      header: built.header,
      documentBytes: built.documentBytes,
    });
    assert.ok(result.ok, result.firstFailure?.detail);
    const emissions = result.checks.find((check) => check.id === "emissions");
    assert.match(emissions?.detail ?? "", /location-based.*market-based/u);
  });

  it("a fallback erased from the document is caught (flags), and a fallback claimed for a live factor too", async () => {
    const erased = structuredClone(built.document);
    delete elementAt(erased.hours, 1).locationFallback;
    const a = rebuilt(erased);
    const first = await verifyContainer({ header: a.header, documentBytes: a.documentBytes });
    assert.equal(first.firstFailure?.id, "flags");

    const forged = structuredClone(built.document);
    elementAt(forged.hours, 0).locationFallback = {
      sourceId: "uk-carbon-intensity",
      reason: "http-error",
      detail: "x",
    };
    const b = rebuilt(forged);
    const second = await verifyContainer({ header: b.header, documentBytes: b.documentBytes });
    assert.equal(second.firstFailure?.id, "factors");
  });

  it("v1 stays v1: a v1 document carrying v2 hour fields is refused", async () => {
    const honest = buildContainer(containerParameters());
    assert.equal(honest.document.format, "ei-container-v1");
    const mixed = structuredClone(honest.document);
    elementAt(mixed.hours, 0).locationEstimated = true;
    const c = rebuilt(mixed);
    const result = await verifyContainer({ header: c.header, documentBytes: c.documentBytes });
    assert.equal(result.firstFailure?.id, "document");
  });
});
