import type { IntensitySeries } from "@energy-intelligence/sdk/factors/index";
import { fetchSourceJson } from "./fetchSourceJson.ts";
import type { FetchSourceJsonOptions } from "./fetchSourceJson.ts";
import { SourceResponseCache } from "./sourceResponseCache.ts";

export interface HttpSourceOptions {
  timeoutMs: number;
  maxRetryWaitMs: number;
  cacheTtlMs: number;
  fetch?: typeof fetch | undefined;
  sleep?: ((ms: number) => Promise<void>) | undefined;
  now?: (() => number) | undefined;
}

/**
 * Shared plumbing of the HTTP factor sources: the cache, the back-off after a
 * 429 (no request goes out until Retry-After has passed; the window is
 * reported rate-limited meanwhile), and turning a failed request into one
 * problem over the whole window so every hour in it falls back with that
 * reason.
 */
export function createSeriesRequester<Point>(options: HttpSourceOptions) {
  const cache = new SourceResponseCache<IntensitySeries<Point>>(options.cacheTtlMs);
  const now = options.now ?? Date.now;
  let blockedUntilMs = 0;
  return async function requestSeries(
    url: string,
    headers: Record<string, string> | undefined,
    window: { startMs: number; endMs: number },
    parse: (body: unknown, retrievedAtMs: number) => IntensitySeries<Point>,
  ): Promise<IntensitySeries<Point>> {
    const nowMs = now();
    const cached = cache.get(url, nowMs);
    if (cached !== undefined) return cached;
    if (nowMs < blockedUntilMs)
      return {
        points: [],
        problems: [
          {
            reason: "rate-limited",
            period: window,
            detail: `backing off after 429 until ${new Date(blockedUntilMs).toISOString()}`,
          },
        ],
      };
    const fetchOptions: FetchSourceJsonOptions = {
      headers,
      timeoutMs: options.timeoutMs,
      maxRetryWaitMs: options.maxRetryWaitMs,
      fetch: options.fetch,
      sleep: options.sleep,
      now,
    };
    const answer = await fetchSourceJson(url, fetchOptions);
    if (!answer.ok) {
      if (answer.problem.reason === "rate-limited")
        blockedUntilMs = now() + (answer.retryAfterMs ?? 60_000);
      return { points: [], problems: [{ ...answer.problem, period: window }] };
    }
    const series = parse(answer.body, now());
    // A format change is not cached: the next pass asks again.
    if (!series.problems.some((problem) => problem.reason === "changed-format"))
      cache.set(url, series, now());
    return series;
  };
}
