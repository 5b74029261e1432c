import type { IntensityProblem } from "@energy-intelligence/sdk/factors/index";

export interface FetchSourceJsonOptions {
  headers?: Record<string, string> | undefined;
  timeoutMs: number;
  /** The longest Retry-After honoured by waiting once; a longer one is reported as rate-limited. */
  maxRetryWaitMs: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch | undefined;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  now?: (() => number) | undefined;
}

export type FetchSourceJsonResult =
  | { ok: true; body: unknown }
  | { ok: false; problem: Omit<IntensityProblem, "period">; retryAfterMs?: number | undefined };

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/u.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * GET a JSON document from a factor source, turning every way it can fail
 * into one specific problem instead of an exception: `unreachable` (network
 * error, timeout), `rate-limited` (429; a Retry-After up to `maxRetryWaitMs` is
 * waited out once and the request repeated), `unauthorised` (401/403),
 * `http-error` (any other non-2xx, with the status), `changed-format` (a 2xx
 * that is not JSON). The caller falls back explicitly and records the reason.
 */
export async function fetchSourceJson(
  url: string,
  options: FetchSourceJsonOptions,
): Promise<FetchSourceJsonResult> {
  const doFetch = options.fetch ?? fetch;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  // Never log or echo the URL's query with secrets; keys travel in headers only.
  const where = new URL(url).pathname;
  for (let attempt = 0; ; attempt += 1) {
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { accept: "application/json", ...options.headers },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, problem: { reason: "unreachable", detail: `${where}: ${reason}` } };
    }
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
      await response.body?.cancel();
      if (attempt === 0 && retryAfterMs !== undefined && retryAfterMs <= options.maxRetryWaitMs) {
        await sleep(retryAfterMs);
        continue;
      }
      return {
        ok: false,
        retryAfterMs,
        problem: {
          reason: "rate-limited",
          detail: `${where}: 429 Too Many Requests${retryAfterMs === undefined ? "" : `, retry after ${Math.ceil(retryAfterMs / 1000)} s`}`,
        },
      };
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return {
        ok: false,
        problem: { reason: "unauthorised", detail: `${where}: ${response.status}` },
      };
    }
    if (response.status < 200 || response.status >= 300) {
      const text = (await response.text().catch(() => "")).slice(0, 200);
      return {
        ok: false,
        problem: {
          reason: "http-error",
          detail: `${where}: HTTP ${response.status} ${text}`.trim(),
        },
      };
    }
    const text = await response.text();
    try {
      return { ok: true, body: JSON.parse(text) as unknown };
    } catch {
      return {
        ok: false,
        problem: { reason: "changed-format", detail: `${where}: not JSON: ${text.slice(0, 80)}` },
      };
    }
  }
}
