import type { Hex } from "viem";
import type { ContainerScope2 } from "../containers/containerDocumentSchema.ts";
import { InvalidInputError } from "../errors/index.ts";
import { rationalToDecimal } from "../factors/rationalToDecimal.ts";
import type { EmissionFactorRecord } from "../factors/types.ts";

const HOUR_MS = 3_600_000;

/** Dataset id of the per-hour market-based rate a lot footprint allocates. */
export const FOOTPRINT_MARKET_RATE_DATASET_ID = "ei-footprint-market-rate";

/** What the rate of an hour is formed from: an `ei-container-v3` container's public figures. */
export interface MarketRateContainer {
  containerId: string;
  scope2: ContainerScope2;
  /** The units of the hour's rate records (`g CO2/kWh` when a CO2-only residual mix priced some of it). */
  co2Only: boolean;
}

export interface FootprintMarketRateParameters {
  hourStartMs: number;
  /** The v3 containers whose hours overlap the clock hour (any order). */
  containers: readonly MarketRateContainer[];
}
export type FootprintMarketRateReturnType = EmissionFactorRecord;
export type FootprintMarketRateErrorType = InvalidInputError;

/**
 * The market-based rate of one clock hour for a lot footprint: Σ the market-based emissions of
 * the containers' pieces of the hour ÷ Σ their consumption (g/kWh = mg × 1000 / mWh, exact or
 * half-even at 6 places), as an emission factor record the allocation applies to the lot's energy
 * in that hour, exactly like the location factor. The containers' own market-based figures
 * (on-site netting, contractual instruments, residual mix) are recomputable from their documents,
 * so `ei verify lot` recomputes this rate from public data and names the first hour that differs.
 *
 * @throws {InvalidInputError} when no container covers the hour, or the containers are in different markets.
 * @example
 * ```ts
 * const market = footprintMarketRate({ hourStartMs, containers: [{ containerId, scope2: document.scope2, co2Only: false }] });
 * ```
 */
export function footprintMarketRate(
  parameters: FootprintMarketRateParameters,
): FootprintMarketRateReturnType {
  const { hourStartMs } = parameters;
  if (hourStartMs % HOUR_MS !== 0)
    throw new InvalidInputError("hourStartMs", "must be a clock hour (a multiple of 3 600 000)");
  const containers = [...parameters.containers].sort((a, b) =>
    BigInt(a.containerId) < BigInt(b.containerId) ? -1 : 1,
  );
  let milligrams = 0n;
  let consumption = 0n;
  const markets = new Set<string>();
  const ids: string[] = [];
  let co2Only = false;
  for (const container of containers) {
    let overlaps = false;
    for (const hour of container.scope2.hours) {
      if (hour.endMs <= hourStartMs || hour.startMs >= hourStartMs + HOUR_MS) continue;
      overlaps = true;
      milligrams += BigInt(hour.emissionsMarketMilligramsCo2e);
      consumption += BigInt(hour.consumptionMilliWattHours);
    }
    if (!overlaps) continue;
    markets.add(container.scope2.market);
    ids.push(container.containerId);
    co2Only ||= container.co2Only;
  }
  const [market, other] = [...markets];
  if (market === undefined)
    throw new InvalidInputError(
      "containers",
      `no ei-container-v3 container covers the hour starting ${new Date(hourStartMs).toISOString()}`,
    );
  if (other !== undefined)
    throw new InvalidInputError(
      "containers",
      `the containers of the hour starting ${new Date(hourStartMs).toISOString()} are in different markets (${[...markets].join(", ")})`,
    );
  const rate =
    consumption === 0n
      ? { text: "0", rounded: false }
      : rationalToDecimal(milligrams * 1000n, consumption);
  return {
    datasetId: FOOTPRINT_MARKET_RATE_DATASET_ID,
    source:
      "market-based Scope 2 of the hour over the lot's containers: Σ market-based mg ÷ Σ consumption",
    version: `ei-container-v3 scope2${rate.rounded ? ", rounded half to even at 6 decimals" : ""}`,
    region: market,
    regionName: `market boundary ${market}`,
    period: { startMs: hourStartMs, endMs: hourStartMs + HOUR_MS },
    kind: "direct",
    unit: co2Only ? "g CO2/kWh" : "g CO2e/kWh",
    value: rate.text,
    citation: {
      title: `containers ${ids.join(", ")}, hour ${new Date(hourStartMs).toISOString()}: ${milligrams} mg over ${consumption} mWh`,
      url: `ei:containers/${ids.join(",")}#scope2`,
      publisher: "derived from the anchored container documents",
    },
    licence: { name: "as the factors it is derived from", url: "ei:containers#factors" },
  };
}

/** The MarketRateContainer of a v3 container document's public part, or undefined for v1/v2. */
export function marketRateContainerOf(
  containerId: string | bigint,
  publicPart: {
    scope2?: ContainerScope2 | undefined;
    factors: readonly { ref: Hex; factor: { unit: string } }[];
    hours: readonly { marketFactorRef: Hex }[];
  },
): MarketRateContainer | undefined {
  if (publicPart.scope2 === undefined) return undefined;
  const rates = new Set(publicPart.hours.map((hour) => hour.marketFactorRef));
  return {
    containerId: containerId.toString(),
    scope2: publicPart.scope2,
    co2Only: publicPart.factors.some(
      (entry) => rates.has(entry.ref) && entry.factor.unit === "g CO2/kWh",
    ),
  };
}
