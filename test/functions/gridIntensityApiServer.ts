/**
 * A local HTTP server that answers like the NESO Carbon Intensity API (national /intensity/{from}/{to},
 * regional /regional/intensity/{from}/{to}/regionid/{id}) and the Electricity Maps v3 API
 * (/v3/carbon-intensity/past with an auth-token header), in their documented response formats, so the
 * Functions request source is tested without a network. `mode` makes it misbehave in one specific way.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ApiMode =
  "ok" | "http-500" | "missing-half-hour" | "negative" | "changed-format" | "hang";

export interface GridIntensityApiServer {
  baseUrl: string;
  /** Grams per kWh of the two half-hours (UK) and the hourly figure (Electricity Maps). */
  ukHalfHours: [number, number];
  electricityMapsGrams: number;
  electricityMapsKey: string;
  mode: ApiMode;
  requests: string[];
  close(): Promise<void>;
}

function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

export async function startGridIntensityApiServer(): Promise<GridIntensityApiServer> {
  const hanging = new Set<http.ServerResponse>();
  const state: Omit<GridIntensityApiServer, "baseUrl" | "close"> = {
    ukHalfHours: [200, 210],
    electricityMapsGrams: 302.456,
    electricityMapsKey: "test-key",
    mode: "ok",
    requests: [],
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    state.requests.push(url.pathname + url.search);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (state.mode === "hang") {
      hanging.add(res);
      return;
    }
    if (state.mode === "http-500") {
      json(500, { error: { code: "500", message: "down" } });
      return;
    }
    const halfHours = (fromText: string) => {
      const from = Date.parse(fromText.replace("Z", ":00Z"));
      // The API also lists the half-hour ending at `from`, as the real one does.
      const starts = [from - 1_800_000, from, from + 1_800_000];
      const values = [150, ...state.ukHalfHours];
      return starts
        .map((start, i) => ({
          from: isoMinute(start),
          to: isoMinute(start + 1_800_000),
          value: state.mode === "negative" && i === 2 ? -5 : (values[i] ?? 0),
        }))
        .filter((_, i) => !(state.mode === "missing-half-hour" && i === 2));
    };
    const national = /^\/intensity\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (national?.[1] !== undefined) {
      json(200, {
        data: halfHours(national[1]).map((p) =>
          state.mode === "changed-format"
            ? { from: p.from, to: p.to, carbon: p.value }
            : {
                from: p.from,
                to: p.to,
                intensity: { forecast: p.value + 3, actual: p.value, index: "moderate" },
              },
        ),
      });
      return;
    }
    const regional = /^\/regional\/intensity\/([^/]+)\/([^/]+)\/regionid\/([0-9]+)$/.exec(
      url.pathname,
    );
    if (regional?.[1] !== undefined && regional[3] !== undefined) {
      json(200, {
        data: {
          regionid: Number(regional[3]),
          dnoregion: "UKPN London",
          shortname: "London",
          data: halfHours(regional[1]).map((p) => ({
            from: p.from,
            to: p.to,
            intensity:
              state.mode === "changed-format"
                ? { value: p.value }
                : { forecast: p.value, index: "moderate" },
            generationmix: [
              { fuel: "gas", perc: 40.1 },
              { fuel: "wind", perc: 59.9 },
            ],
          })),
        },
      });
      return;
    }
    if (url.pathname === "/v3/carbon-intensity/past") {
      if (req.headers["auth-token"] !== state.electricityMapsKey) {
        json(401, { message: "Invalid auth-token" });
        return;
      }
      const zone = url.searchParams.get("zone");
      const datetime = url.searchParams.get("datetime") ?? "";
      json(200, {
        zone,
        carbonIntensity:
          state.mode === "negative"
            ? -1
            : state.mode === "changed-format"
              ? `${state.electricityMapsGrams}`
              : state.electricityMapsGrams,
        datetime: state.mode === "missing-half-hour" ? "2020-01-01T00:00:00.000Z" : datetime,
        updatedAt: datetime,
        createdAt: datetime,
        emissionFactorType: url.searchParams.get("emissionFactorType") ?? "lifecycle",
        isEstimated: false,
        estimationMethod: null,
      });
      return;
    }
    json(404, { error: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const api: GridIntensityApiServer = Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  });
  return api;
}
