import { z } from "zod";
import type { AverageIntensity, IntensityProblem, IntensitySeries } from "../intensityTypes.ts";
import {
  checkIntensityValue,
  findMissingIntervals,
  parseApiInstant,
} from "./checkIntensityValue.ts";
import { changedFormatSeries, parseApiEnvelope } from "./parseApiEnvelope.ts";

export const UK_CARBON_INTENSITY_SOURCE = "NESO Carbon Intensity API (regional)";
const HALF_HOUR_MS = 1_800_000;

/**
 * The documented answer of GET /regional/intensity/{from}/{to}/regionid/{id}
 * (api.carbonintensity.org.uk, API v2): `data.data[]` half-hours, each with
 * `from`, `to`, `intensity.forecast` (g CO2/kWh) and `intensity.index`, and a
 * `generationmix`. Regional figures are forecasts only (no `actual`). Fields
 * the API may add are ignored; a field we rely on that is missing or of the
 * wrong type is a changed format.
 */
const regionalSchema = z.object({
  data: z.object({
    regionid: z.number().int(),
    shortname: z.string(),
    dnoregion: z.string().optional(),
    data: z.array(
      z.object({
        from: z.string(),
        to: z.string(),
        intensity: z.object({
          forecast: z.number().nullable(),
          actual: z.number().nullable().optional(),
          index: z.string(),
        }),
      }),
    ),
  }),
});

export interface ParseUkCarbonIntensityRegionalParameters {
  body: unknown;
  regionId: number;
  /** The interval asked for: every half-hour in it without a figure is reported missing. */
  startMs: number;
  endMs: number;
  retrievedAtMs: number;
}

/**
 * Turns a regional answer of the UK Carbon Intensity API into half-hourly
 * average intensities (kind `direct`: the API counts CO2 from generation at
 * the plant, in g CO2/kWh, so `co2Only`; every regional figure is a forecast,
 * so `estimated`). Never throws for a bad answer: a different shape is one
 * `changed-format` problem over the whole request; a null, negative or absurd
 * value, or a half-hour that is absent, is a problem for that half-hour.
 *
 * @example
 * ```ts
 * const series = parseUkCarbonIntensityRegional({ body, regionId: 13, startMs, endMs, retrievedAtMs: Date.now() });
 * series.points[0].gramsPerKilowattHour; // "266"
 * ```
 */
export function parseUkCarbonIntensityRegional(
  parameters: ParseUkCarbonIntensityRegionalParameters,
): IntensitySeries<AverageIntensity> {
  const { body, regionId, startMs, endMs, retrievedAtMs } = parameters;
  const whole = { startMs, endMs };
  const envelope = parseApiEnvelope<typeof regionalSchema, AverageIntensity>(regionalSchema, body, {
    what: "regional",
    period: whole,
  });
  if (!envelope.ok) return envelope.series;
  const answer = envelope.data.data;
  const region = `regionid:${regionId}`;
  if (answer.regionid !== regionId)
    return changedFormatSeries(
      whole,
      `answer is for region ${answer.regionid}, asked for ${regionId}`,
    );
  const points: AverageIntensity[] = [];
  const problems: IntensityProblem[] = [];
  const covered = new Set<number>();
  for (const [index, entry] of answer.data.entries()) {
    const from = parseApiInstant(entry.from);
    const to = parseApiInstant(entry.to);
    if (from === undefined || to === undefined || to - from !== HALF_HOUR_MS) {
      problems.push({
        reason: "changed-format",
        period: whole,
        detail: `data[${index}] is not a half-hour: ${entry.from} → ${entry.to}`,
      });
      continue;
    }
    if (from < startMs || from >= endMs) continue;
    const period = { startMs: from, endMs: to };
    covered.add(from);
    if (entry.intensity.forecast === null) {
      problems.push({
        reason: "missing-interval",
        period,
        detail: `forecast is null at ${entry.from}`,
      });
      continue;
    }
    const checked = checkIntensityValue(
      entry.intensity.forecast,
      period,
      `forecast at ${entry.from}`,
    );
    if (checked.problem !== undefined) {
      problems.push(checked.problem);
      continue;
    }
    points.push({
      kind: "direct",
      gramsPerKilowattHour: checked.value,
      co2Only: true,
      estimated: true,
      provenance: {
        source: UK_CARBON_INTENSITY_SOURCE,
        region,
        period,
        version: "api v2, regional forecast",
        retrievedAtMs,
        kind: "direct",
      },
    });
  }
  problems.push(
    ...findMissingIntervals(covered, startMs, endMs, HALF_HOUR_MS, `region ${regionId}`),
  );
  return {
    points: points.sort((a, b) => a.provenance.period.startMs - b.provenance.period.startMs),
    problems,
  };
}
