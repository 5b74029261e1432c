import { z } from "zod";
import type { IntensityProblem, IntensitySeries, MarginalSignal } from "../intensityTypes.ts";
import { parseApiInstant } from "./checkIntensityValue.ts";
import { parseApiEnvelope } from "./parseApiEnvelope.ts";

export const WATTTIME_SOURCE = "WattTime API v3";

/** GET /login (basic auth) answers `{ "token": "…" }`; the token is sent as `Authorization: Bearer`. */
const loginSchema = z.object({ token: z.string().min(1) });

/**
 * The documented answer of /v3/signal-index, /v3/forecast and /v3/historical:
 * `data[]` of `{ point_time, value }` and `meta` with `region`, `signal_type`,
 * `units` (lbs_co2_per_mwh for co2_moer, percentile for the index),
 * `data_point_period_seconds`, `model.date`, and for forecasts `generated_at`.
 */
const signalSchema = z.object({
  data: z.array(z.object({ point_time: z.string(), value: z.number() })),
  meta: z.object({
    region: z.string(),
    signal_type: z.string(),
    units: z.enum(["lbs_co2_per_mwh", "percentile"]),
    data_point_period_seconds: z.number().int().positive().optional(),
    model: z.object({ date: z.string().optional() }).optional(),
    generated_at: z.string().optional(),
  }),
});

/**
 * The bearer token from a WattTime /login answer, or undefined when the body
 * is not the documented `{ token }`.
 */
export function parseWattTimeLogin(body: unknown): string | undefined {
  const parsed = loginSchema.safeParse(body);
  return parsed.success ? parsed.data.token : undefined;
}

export interface ParseWattTimeSignalParameters {
  body: unknown;
  region: string;
  forecast: boolean;
  retrievedAtMs: number;
}

/**
 * Turns a WattTime v3 answer into marginal signals. These are for scheduling
 * only: the result type (MarginalSignal, kind `marginal`) has no conversion
 * into an emission factor, so it cannot become a Scope 2 figure. A percentile
 * outside 0–100 or a negative MOER is reported, not kept.
 *
 * @example
 * ```ts
 * const series = parseWattTimeSignal({ body, region: "CAISO_NORTH", forecast: true, retrievedAtMs: Date.now() });
 * series.points[0].signal.units; // "lbs_co2_per_mwh"
 * ```
 */
export function parseWattTimeSignal(
  parameters: ParseWattTimeSignalParameters,
): IntensitySeries<MarginalSignal> {
  const { body, region, forecast, retrievedAtMs } = parameters;
  const envelope = parseApiEnvelope<typeof signalSchema, MarginalSignal>(signalSchema, body, {
    what: "WattTime v3",
    period: { startMs: 0, endMs: 0 },
  });
  if (!envelope.ok) return envelope.series;
  const { meta } = envelope.data;
  const periodMs = (meta.data_point_period_seconds ?? 300) * 1000;
  const points: MarginalSignal[] = [];
  const problems: IntensityProblem[] = [];
  for (const [index, entry] of envelope.data.data.entries()) {
    const startMs = parseApiInstant(entry.point_time);
    if (startMs === undefined) {
      problems.push({
        reason: "changed-format",
        period: { startMs: 0, endMs: 0 },
        detail: `data[${index}].point_time ${entry.point_time}`,
      });
      continue;
    }
    const period = { startMs, endMs: startMs + periodMs };
    const bad =
      !Number.isFinite(entry.value) ||
      entry.value < 0 ||
      (meta.units === "percentile" && entry.value > 100);
    if (bad) {
      problems.push({
        reason: entry.value < 0 ? "negative-intensity" : "absurd-intensity",
        period,
        detail: `${meta.signal_type} ${entry.value} ${meta.units} at ${entry.point_time}`,
      });
      continue;
    }
    points.push({
      kind: "marginal",
      signal: { value: String(entry.value), units: meta.units, signalType: meta.signal_type },
      forecast,
      provenance: {
        source: WATTTIME_SOURCE,
        region: meta.region === region ? region : meta.region,
        period,
        version: `model ${meta.model?.date ?? "unstated"}${meta.generated_at === undefined ? "" : `, generated ${meta.generated_at}`}`,
        retrievedAtMs,
        kind: "marginal",
      },
    });
  }
  return { points, problems };
}
