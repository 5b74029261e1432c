import type {
  IntensitySeries,
  MarginalSignal,
  MarginalSignalSource,
} from "@energy-intelligence/sdk/factors/index";
import { parseWattTimeLogin, parseWattTimeSignal } from "@energy-intelligence/sdk/factors/index";
import { fetchSourceJson } from "./fetchSourceJson.ts";
import { createSeriesRequester } from "./requestSeries.ts";
import type { HttpSourceOptions } from "./requestSeries.ts";

/**
 * WattTime v3 marginal signals, for scheduling jobs only (a MarginalSignalSource,
 * which no factor path accepts): GET /login with basic auth gives a bearer
 * token (valid 30 minutes; renewed on a 401 or after 25 minutes), then
 * /v3/forecast (future windows) or /v3/historical (past windows) with
 * `signal_type=co2_moer`, or /v3/signal-index for the current percentile.
 */
export function createWattTimeSource(
  options: HttpSourceOptions & {
    baseUrl: string;
    region: string;
    username: string;
    password: string;
  },
): MarginalSignalSource {
  const requestSeries = createSeriesRequester<MarginalSignal>(options);
  const base = options.baseUrl.replace(/\/+$/u, "");
  const now = options.now ?? Date.now;
  let token: { value: string; atMs: number } | undefined;
  const login = async (): Promise<string | IntensitySeries<MarginalSignal>["problems"][number]> => {
    const basic = Buffer.from(`${options.username}:${options.password}`).toString("base64");
    const answer = await fetchSourceJson(`${base}/login`, {
      headers: { authorization: `Basic ${basic}` },
      timeoutMs: options.timeoutMs,
      maxRetryWaitMs: options.maxRetryWaitMs,
      fetch: options.fetch,
      sleep: options.sleep,
      now,
    });
    if (!answer.ok) return { ...answer.problem, period: { startMs: 0, endMs: 0 } };
    const value = parseWattTimeLogin(answer.body);
    if (value === undefined)
      return {
        reason: "changed-format",
        period: { startMs: 0, endMs: 0 },
        detail: "/login did not answer { token }",
      };
    token = { value, atMs: now() };
    return value;
  };
  return {
    id: "watttime",
    marginalSignals: async ({ startMs, endMs, signal }) => {
      const window = { startMs, endMs };
      if (token === undefined || now() - token.atMs > 25 * 60_000) {
        const result = await login();
        if (typeof result !== "string")
          return { points: [], problems: [{ ...result, period: window }] };
      }
      const forecast = startMs >= now();
      const query = new URLSearchParams({ region: options.region, signal_type: "co2_moer" });
      let path = "/v3/signal-index";
      if (signal === "co2_moer") {
        path = forecast ? "/v3/forecast" : "/v3/historical";
        if (!forecast) {
          query.set("start", new Date(startMs).toISOString());
          query.set("end", new Date(endMs).toISOString());
        }
      }
      const url = `${base}${path}?${query.toString()}`;
      const ask = async () =>
        await requestSeries(
          url,
          { authorization: `Bearer ${token?.value ?? ""}` },
          window,
          (body, retrievedAtMs) =>
            parseWattTimeSignal({ body, region: options.region, forecast, retrievedAtMs }),
        );
      const first = await ask();
      if (!first.problems.some((problem) => problem.reason === "unauthorised")) return first;
      // An expired token: log in again once.
      const result = await login();
      if (typeof result !== "string")
        return { points: [], problems: [{ ...result, period: window }] };
      return await ask();
    },
  };
}
