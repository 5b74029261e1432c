import type { Hex } from "viem";
import type {
  ContractualInstrument,
  EnergySourceName,
} from "../../accounting/contractualInstruments.ts";
import type { EmissionFlag } from "../../accounting/locationBasedEmissions.ts";
import { marketBasedEmissions } from "../../accounting/marketBasedEmissions.ts";
import { InvalidInputError } from "../../errors/index.ts";
import { factorRef } from "../../factors/factorRef.ts";
import { rationalToDecimal } from "../../factors/rationalToDecimal.ts";
import type { EmissionFactorRecord } from "../../factors/types.ts";
import { sumEmissionsMilligramsCo2e } from "../../units/sumEmissionsMilligramsCo2e.ts";
import type { ContainerScope2 } from "../containerDocumentSchema.ts";

const HOUR_MS = 3_600_000;

/** Dataset id of the per-hour market-based rate a v3 container names as its hours' market factor. */
export const MARKET_RATE_DATASET_ID = "ei-market-based-rate";

export interface ResidualChoice {
  factor: EmissionFactorRecord;
  ref: Hex;
  basis: "residual-mix" | "location-fallback";
  match: "in-period" | "latest-earlier-period";
}

export interface ContainerScope2Input {
  siteId: Hex;
  streamId: Hex;
  periodStartMs: number;
  market: string;
  /** Consumption per hour piece (the consumption channels' imported energy). */
  hours: readonly { startMs: number; endMs: number; consumptionMilliWattHours: bigint }[];
  /** On-site generation per generator channel and hour piece (a SunSpec inverter's produced energy). */
  generation: readonly { source: EnergySourceName; milliWattHours: readonly bigint[] }[];
  instruments: readonly ContractualInstrument[];
  /** Per certificate, the volume used before this container (earlier containers, other sites on chain). */
  usedBefore: readonly { certificateId: string; milliWattHours: bigint }[];
  location: readonly { factor: EmissionFactorRecord; ref: Hex }[];
  residual: readonly ResidualChoice[];
}

export interface ContainerScope2Result {
  section: ContainerScope2;
  /** Per hour, the market-based rate record (what the hour's `marketFactorRef` names). */
  marketRates: EmissionFactorRecord[];
  emissionsLocationMilligramsCo2e: bigint;
  emissionsMarketMilligramsCo2e: bigint;
  flags: EmissionFlag[];
}

/**
 * Both Scope 2 methods of one container (`ei-container-v3`), the computation the builder and the
 * verifier share: per hour, on-site generation nets against consumption, contractual instruments
 * cover grid import under the Scope 2 quality criteria, the residual mix (or the location factor,
 * flagged) prices the rest (marketBasedEmissions); location-based is grid import × the location
 * factor. Each hour's market-based result is also stated as a rate record (mg × 1000 / consumption,
 * g/kWh, exact or half-even at 6 places), so footprints allocate the market-based figure by the
 * same per-hour rule as the location-based one.
 */
export function computeContainerScope2(input: ContainerScope2Input): ContainerScope2Result {
  const { hours } = input;
  if (input.location.length !== hours.length || input.residual.length !== hours.length)
    throw new InvalidInputError("factors", "one location and one residual factor per hour");
  input.generation.forEach((generator, g) => {
    if (generator.milliWattHours.length !== hours.length)
      throw new InvalidInputError(`generation[${g}]`, "one figure per hour");
  });
  const market = marketBasedEmissions({
    hours: hours.map((hour, index) => ({
      startMs: hour.startMs,
      endMs: hour.endMs,
      consumptionMilliWattHours: hour.consumptionMilliWattHours,
      onSite: input.generation.map((generator) => ({
        source: generator.source,
        milliWattHours: generator.milliWattHours[index] ?? 0n,
      })),
    })),
    market: input.market,
    instruments: input.instruments,
    alreadyClaimed: input.usedBefore,
    residualFactors: input.residual,
    // Unused: every hour's residual factor is given.
    location: { datasets: [], region: input.market },
  });
  const flags = new Set<EmissionFlag>(market.flags);
  const location = sumEmissionsMilligramsCo2e(
    market.hours.map((hour, index) => ({
      energyMilliWattHours: hour.gridImportMilliWattHours,
      factor: { value: input.location[index]?.factor.value ?? "0", unit: "g/kWh" as const },
    })),
  );
  const marketRates = market.hours.map((hour, index): EmissionFactorRecord => {
    const clock = Math.floor(hour.startMs / HOUR_MS) * HOUR_MS;
    const exact = hour.exactMilligramsCo2e;
    // g/kWh = mg × 1000 / mWh; an hour without consumption has no emissions and rate 0.
    const rate =
      hour.consumptionMilliWattHours === 0n
        ? { text: "0", rounded: false }
        : rationalToDecimal(
            exact.numerator * 1000n,
            exact.denominator * hour.consumptionMilliWattHours,
          );
    const residual = input.residual[index];
    const co2Only = residual?.factor.unit === "g CO2/kWh" && hour.residualMilliWattHours > 0n;
    return {
      datasetId: MARKET_RATE_DATASET_ID,
      source:
        "market-based Scope 2 of the container's hour: on-site netting, contractual instruments, residual mix",
      version: `ei-container-v3${rate.rounded ? ", rounded half to even at 6 decimals" : ""}`,
      region: input.market,
      regionName: `market boundary ${input.market}`,
      period: { startMs: clock, endMs: clock + HOUR_MS },
      kind: "direct",
      unit: co2Only ? "g CO2/kWh" : "g CO2e/kWh",
      value: rate.text,
      citation: {
        title: `market-based rate of site ${input.siteId} stream ${input.streamId}, hour ${new Date(hour.startMs).toISOString()}`,
        url: `ei:container/${input.siteId}/${input.streamId}/${input.periodStartMs}#scope2.hours[${index}]`,
        publisher: "derived in the container document from its readings, instruments and factors",
      },
      licence: { name: "as the factors it is derived from", url: "ei:container#factors" },
    };
  });
  for (const rate of marketRates) if (rate.unit === "g CO2/kWh") flags.add("factor-co2-only");
  for (const entry of input.location) {
    if (entry.factor.unit === "g CO2/kWh") flags.add("factor-co2-only");
    if (entry.factor.kind === "lifecycle") flags.add("factor-lifecycle");
  }
  const section: ContainerScope2 = {
    market: input.market,
    instruments: input.instruments.map((instrument, index) => {
      const use = market.instruments[index];
      if (use === undefined) throw new InvalidInputError("instruments", "missing use");
      return {
        certificateId: instrument.certificateId,
        type: instrument.type,
        market: instrument.market,
        energySource: instrument.energySource,
        productionPeriod: {
          startMs: instrument.productionPeriod.startMs,
          endMs: instrument.productionPeriod.endMs,
        },
        volumeMilliWattHours: instrument.volumeMilliWattHours.toString(),
        emissionFactorGramsPerKilowattHour: instrument.emissionFactorGramsPerKilowattHour,
        ...(instrument.hourlyDelivery === undefined
          ? {}
          : {
              hourlyDelivery: instrument.hourlyDelivery.map((entry) => ({
                startMs: entry.startMs,
                milliWattHours: entry.milliWattHours.toString(),
              })),
            }),
        ...(instrument.registry === undefined ? {} : { registry: instrument.registry }),
        usedBeforeMilliWattHours: use.usedBeforeMilliWattHours.toString(),
        status: use.status,
        ...(use.reason === undefined ? {} : { reason: use.reason, detail: use.detail ?? "" }),
        usedMilliWattHours: use.usedMilliWattHours.toString(),
        remainingMilliWattHours: use.remainingMilliWattHours.toString(),
      };
    }),
    hours: market.hours.map((hour, index) => {
      const residual = input.residual[index];
      if (residual === undefined) throw new InvalidInputError("residual", "missing factor");
      return {
        startMs: hour.startMs,
        endMs: hour.endMs,
        consumptionMilliWattHours: hour.consumptionMilliWattHours.toString(),
        onSiteGeneration: input.generation.map((generator) => ({
          source: generator.source,
          milliWattHours: (generator.milliWattHours[index] ?? 0n).toString(),
        })),
        selfConsumptionMilliWattHours: hour.selfConsumptionMilliWattHours.toString(),
        exportMilliWattHours: hour.exportMilliWattHours.toString(),
        gridImportMilliWattHours: hour.gridImportMilliWattHours.toString(),
        instruments: hour.instruments.map((cover) => ({
          certificateId: cover.certificateId,
          milliWattHours: cover.milliWattHours.toString(),
        })),
        residualMilliWattHours: hour.residualMilliWattHours.toString(),
        residualFactorRef: residual.ref,
        residualFactorMatch: residual.match,
        residualBasis: residual.basis,
        carbonFreeSameHourMilliWattHours: hour.carbonFreeSameHourMilliWattHours.toString(),
        emissionsMarketMilligramsCo2e: hour.emissionsMilligramsCo2e.toString(),
        marketRateRef: factorRef(marketRates[index] ?? residual.factor),
      };
    }),
    locationBased: {
      gridImportMilliWattHours: market.totals.gridImportMilliWattHours.toString(),
      emissionsMilligramsCo2e: location.toString(),
    },
    marketBased: {
      emissionsMilligramsCo2e: market.emissionsMilligramsCo2e.toString(),
      onSiteGenerationMilliWattHours: market.totals.onSiteGenerationMilliWattHours.toString(),
      selfConsumptionMilliWattHours: market.totals.selfConsumptionMilliWattHours.toString(),
      exportMilliWattHours: market.totals.exportMilliWattHours.toString(),
      coveredByInstrumentsMilliWattHours:
        market.totals.coveredByInstrumentsMilliWattHours.toString(),
      residualMilliWattHours: market.totals.residualMilliWattHours.toString(),
    },
    matching: {
      carbonFreeSameHourMilliWattHours: market.matching.carbonFreeSameHourMilliWattHours.toString(),
      consumptionMilliWattHours: market.matching.consumptionMilliWattHours.toString(),
      scorePartsPerMillion:
        market.matching.scorePartsPerMillion === undefined
          ? null
          : market.matching.scorePartsPerMillion.toString(),
    },
  };
  return {
    section,
    marketRates,
    emissionsLocationMilligramsCo2e: location,
    emissionsMarketMilligramsCo2e: market.emissionsMilligramsCo2e,
    flags: [...flags],
  };
}
