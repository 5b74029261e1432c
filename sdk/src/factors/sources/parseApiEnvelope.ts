import type { z } from "zod";
import type { FactorPeriod } from "../types.ts";
import type { IntensitySeries } from "../intensityTypes.ts";

/** A series that is one `changed-format` problem over the whole request and no points. */
export function changedFormatSeries<T>(period: FactorPeriod, detail: string): IntensitySeries<T> {
  return { points: [], problems: [{ reason: "changed-format", period, detail }] };
}

/**
 * The shape check every API parser starts with: the body against the documented schema, or the
 * series that says the format changed (first issue's path and message), so a parser never throws
 * for a bad answer and every source words the problem the same way.
 *
 * @example
 * ```ts
 * const envelope = parseApiEnvelope(regionalSchema, body, { what: "regional", period: whole });
 * if (!envelope.ok) return envelope.series;
 * ```
 */
export function parseApiEnvelope<S extends z.ZodType, T>(
  schema: S,
  body: unknown,
  parameters: { what: string; period: FactorPeriod },
): { ok: true; data: z.output<S> } | { ok: false; series: IntensitySeries<T> } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    series: changedFormatSeries<T>(
      parameters.period,
      `not the documented ${parameters.what} format: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
    ),
  };
}
