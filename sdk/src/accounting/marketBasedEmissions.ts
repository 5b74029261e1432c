import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { NoEmissionFactorError } from "../factors/NoEmissionFactorError.ts";
import { factorListRef } from "../factors/factorListRef.ts";
import { findFactor } from "../factors/findFactor.ts";
import type { FactorPolicy } from "../factors/findFactor.ts";
import type { HourlyFactor } from "../factors/resolveHourlyFactors.ts";
import type { EmissionFactorRecord, FactorDataset } from "../factors/types.ts";
import { parseDecimal } from "../units/parseDecimal.ts";
import { roundHalfEven } from "../units/roundHalfEven.ts";
import type { Rational } from "../units/types.ts";
import { apportionByWeights } from "./apportionByWeights.ts";
import { CARBON_FREE_SOURCES } from "./contractualInstruments.ts";
import type { ContractualInstrument, EnergySourceName } from "./contractualInstruments.ts";
import { EMISSION_FLAG_ORDER } from "./locationBasedEmissions.ts";
import type { EmissionFlag } from "./locationBasedEmissions.ts";

const HOUR_MS = 3_600_000;

/** One hour of a site: what it consumed and what its own generators produced. */
export interface HourBalance {
  startMs: number;
  endMs: number;
  /** Electricity used by all loads in the hour (not the grid meter: that is after on-site netting). */
  consumptionMilliWattHours: bigint;
  /** On-site generation in the hour, per generator type (SunSpec inverters, wind turbines). */
  onSite?: readonly { source: EnergySourceName; milliWattHours: bigint }[] | undefined;
}

export type InstrumentRejection =
  | "outside-market-boundary"
  | "vintage-outside-period"
  | "certificate-claimed-twice"
  | "volume-used-up";

export interface InstrumentUse {
  certificateId: string;
  /** Position in the instruments list. */
  index: number;
  status: "applied" | "rejected";
  reason?: InstrumentRejection | undefined;
  detail?: string | undefined;
  volumeMilliWattHours: bigint;
  /** Used before this run (other sites, earlier periods, claims recorded on chain). */
  usedBeforeMilliWattHours: bigint;
  usedMilliWattHours: bigint;
  remainingMilliWattHours: bigint;
}

export interface MarketHour {
  startMs: number;
  endMs: number;
  consumptionMilliWattHours: bigint;
  onSiteGenerationMilliWattHours: bigint;
  /** min(consumption, on-site generation): used on site in the same hour. */
  selfConsumptionMilliWattHours: bigint;
  /** On-site generation beyond consumption in the hour, fed to the grid. */
  exportMilliWattHours: bigint;
  /** consumption − self-consumption: what the grid supplied. */
  gridImportMilliWattHours: bigint;
  instruments: { certificateId: string; milliWattHours: bigint; factorValue: string }[];
  residualMilliWattHours: bigint;
  residualFactorRef: Hex | undefined;
  residualBasis: "residual-mix" | "location-fallback" | "none";
  /** Carbon-free supply matched in this very hour: carbon-free self-consumption and time-stamped instruments. */
  carbonFreeSameHourMilliWattHours: bigint;
  exactMilligramsCo2e: Rational;
  emissionsMilligramsCo2e: bigint;
}

export interface MarketBasedEmissionsParameters {
  hours: readonly HourBalance[];
  /** The site's market boundary (bidding zone / grid region) instruments must come from. */
  market: string;
  instruments?: readonly ContractualInstrument[] | undefined;
  /** Volumes of these certificates already claimed outside this run (e.g. read from the chain). */
  alreadyClaimed?: readonly { certificateId: string; milliWattHours: bigint }[] | undefined;
  /** Residual-mix factors for what no instrument covers. */
  residualMix?:
    | { datasets: readonly FactorDataset[]; region: string; policy?: FactorPolicy | undefined }
    | undefined;
  /**
   * Residual factors already chosen per hour (aligned with `hours`), used instead of looking them
   * up: what a container document states and its verifier replays. `location-fallback` marks the
   * hour's location factor standing in for a missing residual mix (flagged).
   */
  residualFactors?:
    | readonly {
        factor: EmissionFactorRecord;
        ref: Hex;
        basis: "residual-mix" | "location-fallback";
        match: "in-period" | "latest-earlier-period" | "live";
      }[]
    | undefined;
  /** The location-based factors, used (and flagged) where no residual-mix factor is available. */
  location: {
    datasets: readonly FactorDataset[];
    region: string;
    policy?: FactorPolicy | undefined;
    factors?: readonly HourlyFactor[] | undefined;
  };
}

export interface MarketBasedEmissionsReturnType {
  method: "market-based";
  hours: MarketHour[];
  /** Σ exact hourly emissions rounded half to even once; the hours' integers sum to it. */
  emissionsMilligramsCo2e: bigint;
  totals: {
    consumptionMilliWattHours: bigint;
    onSiteGenerationMilliWattHours: bigint;
    selfConsumptionMilliWattHours: bigint;
    exportMilliWattHours: bigint;
    gridImportMilliWattHours: bigint;
    coveredByInstrumentsMilliWattHours: bigint;
    residualMilliWattHours: bigint;
  };
  instruments: InstrumentUse[];
  /**
   * Hourly matching: Σ carbon-free supply in the same hour / Σ consumption, in parts
   * per million (floor), with the exact fraction; undefined when nothing was consumed.
   */
  matching: {
    carbonFreeSameHourMilliWattHours: bigint;
    consumptionMilliWattHours: bigint;
    scorePartsPerMillion: bigint | undefined;
  };
  /** Distinct residual (or fallback location) factors used, in order of first use. */
  factors: EmissionFactorRecord[];
  /** factorListRef of `factors`, or undefined when every hour was covered. */
  factorRef: Hex | undefined;
  flags: EmissionFlag[];
}
export type MarketBasedEmissionsErrorType = InvalidInputError | NoEmissionFactorError;

/**
 * GHG Protocol Scope 2, market-based, hour by hour.
 *
 * Each hour, in this order: (1) on-site generation nets against consumption:
 * self-consumption = min(consumption, generation), the rest of the generation
 * is export, the rest of the consumption is grid import; (2) time-stamped
 * instruments (a PPA's hourly delivery, hourly certificates) cover grid import
 * in their own hour; (3) period instruments (GOs, RECs) cover grid import in
 * any hour of their production period, earliest hour first, in list order,
 * until their volume is used; (4) what is left takes the residual-mix factor
 * of the hour, or, where none is shipped for the region, the location factor,
 * flagged `location-factors-used-no-residual-mix` (never a zero).
 *
 * Scope 2 quality criteria applied to every instrument: same market boundary
 * as the site (`outside-market-boundary`), production period overlapping the
 * hours accounted (`vintage-outside-period`), exclusive claim: a certificate id
 * listed a second time (`certificate-claimed-twice`) or with no volume left
 * after claims outside this run (`volume-used-up`) is rejected, reported, and
 * the energy it would have covered falls to the residual mix.
 *
 * Rounding as in locationBasedEmissions: exact rationals, the total rounded half
 * to even once, then handed back to the hours by largest remainder.
 *
 * @throws {InvalidInputError} for a bad hour (not within one clock hour, negative energy).
 * @throws {NoEmissionFactorError} when neither a residual-mix nor a location factor exists for an hour with residual energy.
 * @example
 * ```ts
 * const market = marketBasedEmissions({ hours, market: "GB", instruments, location: { datasets, region: "GB" } });
 * market.matching.scorePartsPerMillion; // e.g. 412_000n: 41.2 % of consumption matched by carbon-free supply in the same hour
 * ```
 */
export function marketBasedEmissions(
  parameters: MarketBasedEmissionsParameters,
): MarketBasedEmissionsReturnType {
  const { hours, market } = parameters;
  if (hours.length === 0) throw new InvalidInputError("hours", "needs at least one hour");
  const flags = new Set<EmissionFlag>();
  const instruments = parameters.instruments ?? [];
  if (instruments.length === 0 && hours.every((hour) => (hour.onSite ?? []).length === 0))
    flags.add("no-contractual-instruments-or-on-site-generation-registered");

  // Net on-site generation hour by hour.
  const balances = hours.map((hour, index) => {
    const path = `hours[${index}]`;
    const clock = Math.floor(hour.startMs / HOUR_MS) * HOUR_MS;
    if (
      !Number.isSafeInteger(hour.startMs) ||
      hour.endMs <= hour.startMs ||
      hour.endMs > clock + HOUR_MS
    )
      throw new InvalidInputError(path, "must be a half-open period within one clock hour");
    if (index > 0 && hour.startMs < (hours[index - 1]?.endMs ?? 0))
      throw new InvalidInputError(path, "hours must be in order and must not overlap");
    if (hour.consumptionMilliWattHours < 0n)
      throw new InvalidInputError(`${path}.consumptionMilliWattHours`, "must not be negative");
    const onSite = hour.onSite ?? [];
    onSite.forEach((generator, g) => {
      if (generator.milliWattHours < 0n)
        throw new InvalidInputError(`${path}.onSite[${g}].milliWattHours`, "must not be negative");
    });
    const generation = onSite.reduce((sum, generator) => sum + generator.milliWattHours, 0n);
    const self =
      generation < hour.consumptionMilliWattHours ? generation : hour.consumptionMilliWattHours;
    // Self-consumption split over the generators by their share, to know how much of it is carbon-free.
    const selfShares = apportionByWeights(
      self,
      onSite.map((generator) => generator.milliWattHours),
    );
    const carbonFreeSelf = onSite.reduce(
      (sum, generator, g) =>
        sum + (CARBON_FREE_SOURCES.has(generator.source) ? (selfShares[g] ?? 0n) : 0n),
      0n,
    );
    return {
      hour,
      clock,
      generation,
      self,
      exported: generation - self,
      gridImport: hour.consumptionMilliWattHours - self,
      open: hour.consumptionMilliWattHours - self,
      carbonFree: carbonFreeSelf,
      covered: [] as { index: number; milliWattHours: bigint }[],
    };
  });
  const firstMs = balances[0]?.hour.startMs ?? 0;
  const lastMs = balances[balances.length - 1]?.hour.endMs ?? 0;

  // Quality criteria and exclusivity, in list order.
  const claimedBefore = new Map<string, bigint>();
  for (const claim of parameters.alreadyClaimed ?? [])
    claimedBefore.set(
      claim.certificateId,
      (claimedBefore.get(claim.certificateId) ?? 0n) + claim.milliWattHours,
    );
  const seen = new Set<string>();
  const uses: InstrumentUse[] = instruments.map((instrument, index) => {
    const usedBefore = claimedBefore.get(instrument.certificateId) ?? 0n;
    const base = {
      certificateId: instrument.certificateId,
      index,
      volumeMilliWattHours: instrument.volumeMilliWattHours,
      usedBeforeMilliWattHours: usedBefore,
      usedMilliWattHours: 0n,
    };
    const reject = (reason: InstrumentRejection, detail: string): InstrumentUse => {
      flags.add("instrument-rejected");
      const left = instrument.volumeMilliWattHours - usedBefore;
      return {
        ...base,
        status: "rejected",
        reason,
        detail,
        remainingMilliWattHours: left > 0n ? left : 0n,
      };
    };
    if (seen.has(instrument.certificateId))
      return reject(
        "certificate-claimed-twice",
        `certificate ${instrument.certificateId} is listed again at instruments[${index}]; an attribute is claimed once`,
      );
    seen.add(instrument.certificateId);
    if (instrument.market !== market)
      return reject(
        "outside-market-boundary",
        `issued in ${instrument.market}, the site is in ${market}`,
      );
    if (
      instrument.productionPeriod.endMs <= firstMs ||
      instrument.productionPeriod.startMs >= lastMs
    )
      return reject(
        "vintage-outside-period",
        `produced [${new Date(instrument.productionPeriod.startMs).toISOString()}, ${new Date(instrument.productionPeriod.endMs).toISOString()}), outside the hours accounted`,
      );
    if (usedBefore >= instrument.volumeMilliWattHours)
      return reject(
        "volume-used-up",
        `${usedBefore} of ${instrument.volumeMilliWattHours} mWh already claimed`,
      );
    return {
      ...base,
      status: "applied",
      remainingMilliWattHours: instrument.volumeMilliWattHours - usedBefore,
    };
  });

  const take = (index: number, balance: (typeof balances)[number], available: bigint): bigint => {
    const use = uses[index];
    if (use === undefined) return 0n;
    let amount = available < balance.open ? available : balance.open;
    if (amount > use.remainingMilliWattHours) amount = use.remainingMilliWattHours;
    if (amount <= 0n) return 0n;
    balance.open -= amount;
    use.usedMilliWattHours += amount;
    use.remainingMilliWattHours -= amount;
    balance.covered.push({ index, milliWattHours: amount });
    return amount;
  };
  // (2) time-stamped instruments, in their own hour only.
  for (const balance of balances) {
    instruments.forEach((instrument, index) => {
      if (uses[index]?.status !== "applied" || instrument.hourlyDelivery === undefined) return;
      const delivered = instrument.hourlyDelivery.find((entry) => entry.startMs === balance.clock);
      if (delivered === undefined) return;
      const amount = take(index, balance, delivered.milliWattHours);
      if (CARBON_FREE_SOURCES.has(instrument.energySource)) balance.carbonFree += amount;
    });
  }
  // (3) period instruments, earliest hour first.
  for (const balance of balances) {
    instruments.forEach((instrument, index) => {
      if (uses[index]?.status !== "applied" || instrument.hourlyDelivery !== undefined) return;
      const { startMs, endMs } = instrument.productionPeriod;
      if (balance.hour.startMs < startMs || balance.hour.startMs >= endMs) return;
      take(index, balance, balance.open);
    });
  }

  // (4) residual factors and exact emissions per hour.
  const used: EmissionFactorRecord[] = [];
  const usedRefs = new Set<Hex>();
  const exact = balances.map((balance, index) => {
    let sum: Rational = { numerator: 0n, denominator: 1n };
    for (const cover of balance.covered) {
      const instrument = instruments[cover.index];
      if (instrument === undefined) continue;
      sum = addRational(
        sum,
        termMilligrams(
          cover.milliWattHours,
          instrument.emissionFactorGramsPerKilowattHour,
          `instruments[${cover.index}].emissionFactorGramsPerKilowattHour`,
        ),
      );
    }
    let residual:
      | { factor: EmissionFactorRecord; ref: Hex; basis: "residual-mix" | "location-fallback" }
      | undefined;
    if (balance.open > 0n) {
      residual = residualFactor(parameters, balance.hour, index, flags);
      if (!usedRefs.has(residual.ref)) {
        usedRefs.add(residual.ref);
        used.push(residual.factor);
      }
      if (residual.factor.unit === "g CO2/kWh") flags.add("factor-co2-only");
      if (residual.factor.kind === "lifecycle") flags.add("factor-lifecycle");
      sum = addRational(
        sum,
        termMilligrams(balance.open, residual.factor.value, `hours[${index}] residual factor`),
      );
    }
    return { sum, residual };
  });
  const common = exact.reduce(
    (lcm, { sum }) => (lcm * sum.denominator) / gcd(lcm, sum.denominator),
    1n,
  );
  const numerators = exact.map(({ sum }) => sum.numerator * (common / sum.denominator));
  const total = roundHalfEven(
    numerators.reduce((a, b) => a + b, 0n),
    common,
  );
  const shares = apportionByWeights(total, numerators);

  const resultHours: MarketHour[] = balances.map((balance, index) => {
    const { sum, residual } = exact[index] ?? {
      sum: { numerator: 0n, denominator: 1n },
      residual: undefined,
    };
    return {
      startMs: balance.hour.startMs,
      endMs: balance.hour.endMs,
      consumptionMilliWattHours: balance.hour.consumptionMilliWattHours,
      onSiteGenerationMilliWattHours: balance.generation,
      selfConsumptionMilliWattHours: balance.self,
      exportMilliWattHours: balance.exported,
      gridImportMilliWattHours: balance.gridImport,
      instruments: balance.covered.map((cover) => ({
        certificateId: instruments[cover.index]?.certificateId ?? "",
        milliWattHours: cover.milliWattHours,
        factorValue: instruments[cover.index]?.emissionFactorGramsPerKilowattHour ?? "",
      })),
      residualMilliWattHours: balance.open,
      residualFactorRef: residual?.ref,
      residualBasis: residual?.basis ?? "none",
      carbonFreeSameHourMilliWattHours: balance.carbonFree,
      exactMilligramsCo2e: sum,
      emissionsMilligramsCo2e: shares[index] ?? 0n,
    };
  });
  const sumOf = (pick: (hour: MarketHour) => bigint) =>
    resultHours.reduce((acc, hour) => acc + pick(hour), 0n);
  const consumption = sumOf((hour) => hour.consumptionMilliWattHours);
  const carbonFree = sumOf((hour) => hour.carbonFreeSameHourMilliWattHours);
  const residualTotal = sumOf((hour) => hour.residualMilliWattHours);
  const gridImport = sumOf((hour) => hour.gridImportMilliWattHours);
  return {
    method: "market-based",
    hours: resultHours,
    emissionsMilligramsCo2e: total,
    totals: {
      consumptionMilliWattHours: consumption,
      onSiteGenerationMilliWattHours: sumOf((hour) => hour.onSiteGenerationMilliWattHours),
      selfConsumptionMilliWattHours: sumOf((hour) => hour.selfConsumptionMilliWattHours),
      exportMilliWattHours: sumOf((hour) => hour.exportMilliWattHours),
      gridImportMilliWattHours: gridImport,
      coveredByInstrumentsMilliWattHours: gridImport - residualTotal,
      residualMilliWattHours: residualTotal,
    },
    instruments: uses,
    matching: {
      carbonFreeSameHourMilliWattHours: carbonFree,
      consumptionMilliWattHours: consumption,
      scorePartsPerMillion:
        consumption === 0n ? undefined : (carbonFree * 1_000_000n) / consumption,
    },
    factors: used,
    factorRef: used.length === 0 ? undefined : factorListRef(used),
    flags: EMISSION_FLAG_ORDER.filter((flag) => flags.has(flag)),
  };
}

function residualFactor(
  parameters: MarketBasedEmissionsParameters,
  hour: HourBalance,
  index: number,
  flags: Set<EmissionFlag>,
): { factor: EmissionFactorRecord; ref: Hex; basis: "residual-mix" | "location-fallback" } {
  const chosen = parameters.residualFactors;
  if (chosen !== undefined) {
    const given = chosen[index];
    if (given === undefined)
      throw new InvalidInputError(`residualFactors[${index}]`, "no residual factor for the hour");
    if (given.match === "latest-earlier-period") flags.add("factor-latest-earlier-period");
    if (given.basis === "location-fallback") flags.add("location-factors-used-no-residual-mix");
    return { factor: given.factor, ref: given.ref, basis: given.basis };
  }
  const mix = parameters.residualMix;
  if (mix !== undefined) {
    try {
      const found = findFactor(mix.datasets, mix.region, hour.startMs, mix.policy ?? "in-period");
      if (found.match === "latest-earlier-period") flags.add("factor-latest-earlier-period");
      return { factor: found.factor, ref: found.ref, basis: "residual-mix" };
    } catch (error) {
      // A pending or missing residual mix is disclosed and replaced by the location factor, never by zero.
      if (!(error instanceof NoEmissionFactorError)) throw error;
    }
  }
  flags.add("location-factors-used-no-residual-mix");
  const given = parameters.location.factors?.[index];
  if (given !== undefined) {
    if (given.fallback !== undefined) flags.add("factor-live-fallback-to-shipped");
    if (given.estimated) flags.add("factor-estimated");
    return { factor: given.factor, ref: given.ref, basis: "location-fallback" };
  }
  const { datasets, region, policy } = parameters.location;
  const found = findFactor(datasets, region, hour.startMs, policy ?? "in-period");
  if (found.match === "latest-earlier-period") flags.add("factor-latest-earlier-period");
  return { factor: found.factor, ref: found.ref, basis: "location-fallback" };
}

/** mWh × g/kWh = µg, so mg = energy × factor / 1000, exact. */
function termMilligrams(energyMilliWattHours: bigint, factor: string, path: string): Rational {
  const value = parseDecimal(factor, path);
  if (value.numerator < 0n)
    throw new InvalidInputError(path, "an emission factor cannot be negative");
  return {
    numerator: energyMilliWattHours * value.numerator,
    denominator: value.denominator * 1_000n,
  };
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function addRational(a: Rational, b: Rational): Rational {
  const numerator = a.numerator * b.denominator + b.numerator * a.denominator;
  const denominator = a.denominator * b.denominator;
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}
