import { z } from "zod";
import type {
  AverageIntensity,
  AverageIntensityKind,
  IntensityProblem,
  IntensitySeries,
} from "../intensityTypes.ts";
import {
  checkIntensityValue,
  findMissingIntervals,
  parseApiInstant,
} from "./checkIntensityValue.ts";
import { changedFormatSeries, parseApiEnvelope } from "./parseApiEnvelope.ts";

export const ELECTRICITY_MAPS_SOURCE = "Electricity Maps API";
const HOUR_MS = 3_600_000;

/**
 * One hourly entry as Electricity Maps v3 documents it for
 * /v3/carbon-intensity/latest (the whole body) and /v3/carbon-intensity/history
 * (`history[]`; /past-range answers `data[]`): `zone`, `carbonIntensity`
 * (g CO2eq/kWh, null when unknown), `datetime` (start of the hour),
 * `emissionFactorType` (lifecycle | direct), `isEstimated`, `estimationMethod`.
 */
const entrySchema = z.object({
  zone: z.string().optional(),
  carbonIntensity: z.number().nullable(),
  datetime: z.string(),
  updatedAt: z.string().optional(),
  emissionFactorType: z.enum(["lifecycle", "direct"]),
  isEstimated: z.boolean().nullable().optional(),
  estimationMethod: z.string().nullable().optional(),
});
const historySchema = z.union([
  z.object({ zone: z.string(), history: z.array(entrySchema) }),
  z.object({ zone: z.string(), data: z.array(entrySchema) }),
]);

export interface ParseElectricityMapsParameters {
  body: unknown;
  endpoint: "latest" | "history";
  zone: string;
  /** The kind asked for (query `emissionFactorType`); an answer of another kind is refused. */
  kind: AverageIntensityKind;
  /** For `history`: every hour in [startMs, endMs) without a figure is reported missing. */
  startMs?: number | undefined;
  endMs?: number | undefined;
  retrievedAtMs: number;
}

/**
 * Turns an Electricity Maps v3 carbon-intensity answer into hourly average
 * intensities, keeping the kind the API states: `direct` figures may serve as
 * Scope 2 factors, `lifecycle` ones for product footprints, and an answer of a
 * kind other than the one asked for is a `wrong-kind` problem (never used
 * silently as the other). Estimated hours keep `estimated: true`.
 *
 * @example
 * ```ts
 * const series = parseElectricityMapsCarbonIntensity({ body, endpoint: "history", zone: "DE", kind: "direct", startMs, endMs, retrievedAtMs });
 * ```
 */
export function parseElectricityMapsCarbonIntensity(
  parameters: ParseElectricityMapsParameters,
): IntensitySeries<AverageIntensity> {
  const { body, endpoint, zone, kind, retrievedAtMs } = parameters;
  const whole = { startMs: parameters.startMs ?? 0, endMs: parameters.endMs ?? 0 };
  const envelope = parseApiEnvelope<typeof entrySchema | typeof historySchema, AverageIntensity>(
    endpoint === "latest" ? entrySchema : historySchema,
    body,
    { what: endpoint, period: whole },
  );
  if (!envelope.ok) return envelope.series;
  const data = envelope.data;
  const entries = "history" in data ? data.history : "data" in data ? data.data : [data];
  if (data.zone !== undefined && data.zone !== zone)
    return changedFormatSeries(whole, `answer is for zone ${data.zone}, asked for ${zone}`);
  const points: AverageIntensity[] = [];
  const problems: IntensityProblem[] = [];
  const covered = new Set<number>();
  for (const [index, entry] of entries.entries()) {
    const startMs = parseApiInstant(entry.datetime);
    if (startMs === undefined || startMs % HOUR_MS !== 0) {
      problems.push({
        reason: "changed-format",
        period: whole,
        detail: `entry ${index}: datetime ${entry.datetime} is not the start of an hour`,
      });
      continue;
    }
    if (
      parameters.startMs !== undefined &&
      (startMs < parameters.startMs || startMs >= (parameters.endMs ?? Infinity))
    )
      continue;
    const period = { startMs, endMs: startMs + HOUR_MS };
    covered.add(startMs);
    if (entry.emissionFactorType !== kind) {
      problems.push({
        reason: "wrong-kind",
        period,
        detail: `answered ${entry.emissionFactorType}, asked for ${kind}`,
      });
      continue;
    }
    if (entry.carbonIntensity === null) {
      problems.push({
        reason: "missing-interval",
        period,
        detail: `carbonIntensity is null at ${entry.datetime}`,
      });
      continue;
    }
    const checked = checkIntensityValue(
      entry.carbonIntensity,
      period,
      `carbonIntensity at ${entry.datetime}`,
    );
    if (checked.problem !== undefined) {
      problems.push(checked.problem);
      continue;
    }
    points.push({
      kind,
      gramsPerKilowattHour: checked.value,
      co2Only: false,
      estimated: entry.isEstimated === true,
      provenance: {
        source: ELECTRICITY_MAPS_SOURCE,
        region: zone,
        period,
        version: `v3 carbon-intensity/${endpoint}${entry.isEstimated === true ? `, estimated (${entry.estimationMethod ?? "method not stated"})` : ""}${entry.updatedAt === undefined ? "" : `, updated ${entry.updatedAt}`}`,
        retrievedAtMs,
        kind,
      },
    });
  }
  if (endpoint === "history" && parameters.startMs !== undefined && parameters.endMs !== undefined)
    problems.push(
      ...findMissingIntervals(
        covered,
        parameters.startMs,
        parameters.endMs,
        HOUR_MS,
        `zone ${zone}`,
      ),
    );
  return {
    points: points.sort((a, b) => a.provenance.period.startMs - b.provenance.period.startMs),
    problems,
  };
}
