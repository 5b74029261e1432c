import type { IntensityProblem } from "../intensityTypes.ts";
import type { FactorPeriod } from "../types.ts";

/**
 * Above this a grid-average intensity is refused as absurd. The most carbon-
 * intensive grids (lignite, oil) stay below about 1 300 g CO2e/kWh on a yearly
 * average and hourly figures near it; 2 000 leaves room for real extremes
 * while still catching a unit mix-up (kg vs g, lb/MWh vs g/kWh for coal
 * grids, ~2 200) or a corrupted value.
 */
export const MAX_PLAUSIBLE_GRAMS_PER_KILOWATT_HOUR = 2_000;

/**
 * A JSON number from an API as an exact decimal string, or the problem that
 * makes it unusable: negative, above the plausible maximum, not finite, or
 * written with an exponent (which no intensity in range needs).
 *
 * @example
 * ```ts
 * checkIntensityValue(266, period); // { value: "266" }
 * checkIntensityValue(-5, period); // { problem: { reason: "negative-intensity", … } }
 * ```
 */
export function checkIntensityValue(
  value: number,
  period: FactorPeriod,
  what: string,
): { value: string; problem?: undefined } | { value?: undefined; problem: IntensityProblem } {
  if (!Number.isFinite(value))
    return {
      problem: { reason: "changed-format", period, detail: `${what} is not a finite number` },
    };
  if (value < 0)
    return {
      problem: { reason: "negative-intensity", period, detail: `${what} is ${value}, below zero` },
    };
  if (value > MAX_PLAUSIBLE_GRAMS_PER_KILOWATT_HOUR)
    return {
      problem: {
        reason: "absurd-intensity",
        period,
        detail: `${what} is ${value}, above the plausible maximum ${MAX_PLAUSIBLE_GRAMS_PER_KILOWATT_HOUR} g/kWh`,
      },
    };
  const text = String(value);
  if (!/^(0|[1-9][0-9]*)(\.[0-9]+)?$/u.test(text))
    return { problem: { reason: "absurd-intensity", period, detail: `${what} is ${text}` } };
  return { value: text };
}

/** Parses an ISO 8601 instant the way the APIs write them ("2018-05-15T11:30Z", "…:00.000Z", "+00:00"). */
export function parseApiInstant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/u.test(text))
    return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The intervals of `stepMs` in [startMs, endMs) that no point covers: each a `missing-interval` problem. */
export function findMissingIntervals(
  covered: ReadonlySet<number>,
  startMs: number,
  endMs: number,
  stepMs: number,
  what: string,
): IntensityProblem[] {
  const problems: IntensityProblem[] = [];
  for (let t = Math.ceil(startMs / stepMs) * stepMs; t < endMs; t += stepMs) {
    if (!covered.has(t))
      problems.push({
        reason: "missing-interval",
        period: { startMs: t, endMs: t + stepMs },
        detail: `${what} has no figure for ${new Date(t).toISOString()}`,
      });
  }
  return problems;
}
