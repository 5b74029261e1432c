import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import type { ContractualInstrument } from "../accounting/contractualInstruments.ts";
import { buildContainer } from "../containers/buildContainer.ts";
import { computeContainerId } from "../containers/computeContainerId.ts";
import {
  containerParameters,
  DEVICE_A,
  DEVICE_B,
  makeReadings,
  RESIDUAL_MIX,
} from "../containers/containerFixture.testHelper.ts";
import { buildFootprintDocument } from "./buildFootprintDocument.ts";
import { footprintMarketRate, marketRateContainerOf } from "./footprintMarketRate.ts";
import { selectFootprintReadings } from "./selectFootprintReadings.ts";
import { verifyFootprintDocument } from "./verifyFootprintDocument.ts";
import type { ContainerFacts } from "./verifyFootprintDocument.ts";

const PRODUCT: Hex = `0x${"9d".repeat(32)}`;
const MACHINE: Hex = `0x${"3a".repeat(32)}`;
const JOB: Hex = `0x${"70".repeat(32)}`;
const config = { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 };
const instruments: ContractualInstrument[] = [
  {
    certificateId: "GO-GB-2025-06-0001",
    type: "guarantee-of-origin",
    market: "GB",
    energySource: "wind",
    productionPeriod: { startMs: Date.UTC(2025, 5, 1), endMs: Date.UTC(2025, 6, 1) },
    volumeMilliWattHours: 300_000_000n,
    emissionFactorGramsPerKilowattHour: "0",
  },
];

/** The fixture's period (12:30–13:30) as a v3 container: device A the machine, device B a solar inverter. */
function v3Container() {
  const built = buildContainer(
    containerParameters({
      channels: [
        { deviceId: DEVICE_A, channel: 0, config },
        { deviceId: DEVICE_B, channel: 0, config, role: "generation", source: "solar" },
      ],
      readings: [
        ...makeReadings(DEVICE_A, 12_000),
        ...makeReadings(DEVICE_B, 7_000).map((reading) => ({
          ...reading,
          energyImportedMilliWattHours: 0n,
          energyExportedMilliWattHours: reading.energyImportedMilliWattHours,
        })),
      ],
      factors: {
        location: { datasets: containerParameters().factors.location.datasets, region: "GB" },
        scope2: {
          market: "GB",
          instruments,
          usedBefore: [],
          residualMix: { datasets: [RESIDUAL_MIX], region: "GB-residual" },
        },
      },
    }),
  );
  return {
    containerId: computeContainerId(built.header),
    cid: built.cid.toString(),
    document: built.document,
  };
}

describe("a lot footprint over ei-container-v3 containers (market-based)", () => {
  const container = v3Container();
  const scope = { startMs: Date.UTC(2025, 5, 1, 12, 40), endMs: Date.UTC(2025, 5, 1, 13, 20) };
  const channels = [{ deviceId: DEVICE_A, channel: 0, config }];
  const selected = selectFootprintReadings({ containers: [container], channels, scope });
  const built = buildFootprintDocument({
    siteId: container.document.siteId,
    productId: PRODUCT,
    lotJobIds: [JOB],
    jobs: [
      {
        jobId: JOB,
        productId: PRODUCT,
        machineIds: [MACHINE],
        startMs: scope.startMs,
        stopMs: scope.endMs,
        units: 10n,
      },
    ],
    scope,
    rules: { overlap: "equal", idle: "machine-hours", overhead: "energy" },
    machines: [{ machineId: MACHINE, channels }],
    overheadChannels: [],
    ...selected,
  });
  const facts = (market = marketRateContainerOf(container.containerId, container.document)) =>
    new Map<string, ContainerFacts>([
      [
        container.containerId.toString(),
        {
          streamId: container.document.streamId,
          periodStartMs: container.document.period.startMs,
          periodEndMs: container.document.period.endMs,
          revision: 0,
          merkleRoot: container.document.merkleRoot,
          cid: container.cid,
          hours: container.document.hours,
          market,
        },
      ],
    ]);

  it("allocates each hour at the rate of its containers' market-based figure, beside location-based", () => {
    const scope2 = container.document.scope2;
    assert.ok(scope2 !== undefined);
    for (const hour of built.document.hours) {
      const piece = scope2.hours.find(
        (entry) => entry.startMs <= hour.startMs && hour.startMs < entry.endMs,
      );
      assert.ok(piece !== undefined);
      const rate = built.document.factors.find(
        (entry) => entry.ref === hour.marketFactorRef,
      )?.factor;
      assert.equal(rate?.datasetId, "ei-footprint-market-rate");
      // The hour's rate is its container piece's market-based mg × 1000 / consumption mWh.
      const [whole = "0", fraction = ""] = rate.value.split(".");
      const scaled = BigInt(whole + fraction.padEnd(6, "0"));
      const expected =
        (BigInt(piece.emissionsMarketMilligramsCo2e) * 1000n * 1_000_000n) /
        BigInt(piece.consumptionMilliWattHours);
      assert.ok(scaled - expected <= 1n && expected - scaled <= 1n, `${scaled} vs ${expected}`);
    }
    // The inverter and the GO make the market-based figure lower than the location-based one.
    const perUnit = built.document.lot.perUnit;
    assert.ok(
      BigInt(perUnit.emissionsMarketMilligramsCo2e) <
        BigInt(perUnit.emissionsLocationMilligramsCo2e),
    );
  });

  it("ei verify lot's checks recompute the market-based rate from the containers and pass", () => {
    const result = verifyFootprintDocument({
      documentBytes: built.documentBytes,
      containers: facts(),
    });
    const market = result.checks.find((check) => check.id === "market-based");
    assert.equal(market?.ok, true, market?.detail);
    assert.equal(market.skipped, false);
    assert.ok(result.checks.filter((check) => !check.skipped).every((check) => check.ok));
  });

  it("a container whose market-based figure differs from what the footprint used is named, with the hour", () => {
    const honest = marketRateContainerOf(container.containerId, container.document);
    assert.ok(honest !== undefined);
    const other = structuredClone(honest);
    const first = other.scope2.hours[0];
    assert.ok(first !== undefined);
    first.emissionsMarketMilligramsCo2e = (
      BigInt(first.emissionsMarketMilligramsCo2e) + 5000n
    ).toString();
    const result = verifyFootprintDocument({
      documentBytes: built.documentBytes,
      containers: facts(other),
    });
    const failed = result.checks.find((check) => !check.ok && !check.skipped);
    assert.equal(failed?.id, "market-based");
    assert.match(failed.detail, /hour 2025-06-01T12:00:00\.000Z/u);
  });
});

describe("footprintMarketRate over several containers of one hour", () => {
  const hourStartMs = Date.UTC(2025, 5, 1, 12);
  const piece = (startMinute: number, mg: string, consumption: string) => ({
    startMs: hourStartMs + startMinute * 60_000,
    endMs: hourStartMs + (startMinute + 15) * 60_000,
    consumptionMilliWattHours: consumption,
    emissionsMarketMilligramsCo2e: mg,
  });
  const container = (id: string, market: string, hours: ReturnType<typeof piece>[]) => ({
    containerId: id,
    co2Only: false,
    scope2: { market, hours } as unknown as NonNullable<
      ReturnType<typeof v3Container>["document"]["scope2"]
    >,
  });

  it("is Σ market-based mg × 1000 ÷ Σ consumption over every container piece in the hour", () => {
    // Two 15-minute containers of one stream and one of another: (1000 + 3000 + 500) mg over
    // (10 000 + 20 000 + 15 000) mWh = 4500 × 1000 / 45 000 = 100 g/kWh.
    const rate = footprintMarketRate({
      hourStartMs,
      containers: [
        container("2", "GB", [piece(15, "3000", "20000")]),
        container("1", "GB", [piece(0, "1000", "10000")]),
        container("3", "GB", [piece(30, "500", "15000")]),
      ],
    });
    assert.equal(rate.value, "100");
    assert.equal(rate.region, "GB");
    assert.deepEqual(rate.period, { startMs: hourStartMs, endMs: hourStartMs + 3_600_000 });
    assert.match(rate.citation.title, /containers 1, 2, 3/u);
  });

  it("refuses containers of different markets and an hour no container covers", () => {
    assert.throws(
      () =>
        footprintMarketRate({
          hourStartMs,
          containers: [
            container("1", "GB", [piece(0, "1", "1")]),
            container("2", "DE", [piece(15, "1", "1")]),
          ],
        }),
      /different markets/u,
    );
    assert.throws(
      () =>
        footprintMarketRate({
          hourStartMs: hourStartMs + 3_600_000,
          containers: [container("1", "GB", [piece(0, "1", "1")])],
        }),
      /no ei-container-v3 container covers/u,
    );
  });
});
