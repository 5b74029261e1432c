import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { averageIntensityToFactorRecord } from "./averageIntensityToFactorRecord.ts";
import { factorRef } from "./factorRef.ts";
import { findFactor } from "./findFactor.ts";
import { rationalToDecimal } from "./rationalToDecimal.ts";
import type { FactorPolicy } from "./findFactor.ts";
import type {
  AverageIntensity,
  AverageIntensityKind,
  IntensityProblem,
  IntensityProblemReason,
  IntensitySeries,
} from "./intensityTypes.ts";
import type {
  EmissionFactorRecord,
  FactorCitation,
  FactorDataset,
  FactorLicence,
  FactorPeriod,
} from "./types.ts";

/** Why an hour used the shipped dataset instead of the configured live source, recorded with the figure. */
export interface FactorFallback {
  /** The live source that failed for the hour. */
  sourceId: string;
  reason: IntensityProblemReason;
  detail: string;
}

export interface HourlyFactor {
  startMs: number;
  endMs: number;
  factor: EmissionFactorRecord;
  ref: Hex;
  /** `live`: formed from the live source's points for the hour; otherwise findFactor's match on the shipped datasets. */
  match: "live" | "in-period" | "latest-earlier-period";
  /** Present exactly when the hour fell back to the shipped datasets although a live source was configured. */
  fallback?: FactorFallback | undefined;
  /** The live figure is a forecast or model estimate. */
  estimated: boolean;
}

export interface ResolveHourlyFactorsParameters {
  /** Clock hours (or parts), in order; each lies within one clock hour. */
  hours: readonly FactorPeriod[];
  /** The live source's answer, or undefined to use the shipped datasets alone. */
  live?:
    | {
        sourceId: string;
        kind: AverageIntensityKind;
        series: IntensitySeries<AverageIntensity>;
        citation: FactorCitation;
        licence: FactorLicence;
      }
    | undefined;
  /** The shipped datasets and region: the source when no live one is configured, the fallback otherwise. */
  shipped: {
    datasets: readonly FactorDataset[];
    region: string;
    policy?: FactorPolicy | undefined;
  };
}

const HOUR_MS = 3_600_000;

/**
 * One emission factor per hour, from a live source where it gave a usable
 * figure covering the whole hour, else from the shipped datasets with the
 * reason recorded (`fallback`): a missing interval, a negative or absurd
 * value, an error status, a changed format, a rate limit, a wrong kind. An
 * hour with any problem of the live source in it falls back as a whole: a
 * half-hour figure is never stretched over the hour. When neither gives a
 * factor, findFactor's NoEmissionFactorError propagates: never a silent zero.
 *
 * The live figure of an hour is the time-weighted mean of the points in it
 * (half-hourly UK figures: their plain mean), exact where the decimal
 * terminates, else rounded half to even at 6 decimals and said so.
 *
 * @throws {NoEmissionFactorError} when the fallback has no factor either.
 * @throws {InvalidInputError} for an hour that crosses a clock hour.
 * @example
 * ```ts
 * const hours = resolveHourlyFactors({ hours, live: { sourceId: "uk-carbon-intensity", kind: "direct", series, citation, licence }, shipped: { datasets, region: "GB" } });
 * hours.filter((h) => h.fallback !== undefined); // the hours that used DESNZ, each with its reason
 * ```
 */
export function resolveHourlyFactors(parameters: ResolveHourlyFactorsParameters): HourlyFactor[] {
  const { live, shipped } = parameters;
  return parameters.hours.map((hour, index) => {
    const hourStart = Math.floor(hour.startMs / HOUR_MS) * HOUR_MS;
    if (hour.endMs <= hour.startMs || hour.endMs > hourStart + HOUR_MS)
      throw new InvalidInputError(`hours[${index}]`, "must lie within one clock hour");
    const fromShipped = (fallback: FactorFallback | undefined): HourlyFactor => {
      const found = findFactor(
        shipped.datasets,
        shipped.region,
        hour.startMs,
        shipped.policy ?? "in-period",
      );
      return {
        startMs: hour.startMs,
        endMs: hour.endMs,
        factor: found.factor,
        ref: found.ref,
        match: found.match,
        fallback,
        estimated: false,
      };
    };
    if (live === undefined) return fromShipped(undefined);
    // The whole clock hour must be covered: the factor describes the hour, whatever part of it the piece is.
    const clock = { startMs: hourStart, endMs: hourStart + HOUR_MS };
    const overlaps = (period: FactorPeriod) =>
      period.startMs < clock.endMs && clock.startMs < period.endMs;
    const problem: IntensityProblem | undefined = live.series.problems.find((p) =>
      overlaps(p.period),
    );
    if (problem !== undefined)
      return fromShipped({
        sourceId: live.sourceId,
        reason: problem.reason,
        detail: problem.detail,
      });
    const points = live.series.points.filter((point) => overlaps(point.provenance.period));
    const wrongKind = points.find((point) => point.kind !== live.kind);
    if (wrongKind !== undefined)
      return fromShipped({
        sourceId: live.sourceId,
        reason: "wrong-kind",
        detail: `a ${wrongKind.kind} figure where ${live.kind} was configured`,
      });
    let coveredMs = 0;
    let numerator = 0n;
    let denominator = 1n;
    for (const point of points) {
      const from = Math.max(point.provenance.period.startMs, clock.startMs);
      const to = Math.min(point.provenance.period.endMs, clock.endMs);
      coveredMs += to - from;
      const [whole = "0", fraction = ""] = point.gramsPerKilowattHour.split(".");
      const scale = 10n ** BigInt(fraction.length);
      const value = BigInt(whole + fraction);
      // Σ value × duration, on a common denominator.
      numerator = numerator * scale + value * BigInt(to - from) * denominator;
      denominator *= scale;
    }
    if (points.length === 0 || coveredMs !== HOUR_MS)
      return fromShipped({
        sourceId: live.sourceId,
        reason: "missing-interval",
        detail: `the live figures cover ${coveredMs / 60_000} of 60 minutes of ${new Date(clock.startMs).toISOString()}`,
      });
    const { text, rounded } = rationalToDecimal(numerator, denominator * BigInt(HOUR_MS));
    const factor = averageIntensityToFactorRecord({
      sourceId: live.sourceId,
      value: text,
      from: points,
      period: clock,
      citation: live.citation,
      licence: live.licence,
      rounded,
    });
    return {
      startMs: hour.startMs,
      endMs: hour.endMs,
      factor,
      ref: factorRef(factor),
      match: "live",
      estimated: points.some((point) => point.estimated),
    };
  });
}
