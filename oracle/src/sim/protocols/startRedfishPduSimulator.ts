import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface RedfishPduSimulatorOptions {
  /** Power per outlet, W; the main carries their sum. Counters advance with it. */
  outletWatts?: readonly number[];
  /** Starting lifetime energy per outlet, Wh. */
  outletStartWattHours?: readonly number[];
  userName?: string;
  password?: string;
  serialNumber?: string;
  now?: () => number;
  /** Port on 127.0.0.1; default a free one. */
  port?: number;
}

export interface RedfishPduSimulator {
  /** Base URL, e.g. http://127.0.0.1:PORT (the service root is `${url}/redfish/v1`). */
  url: string;
  /** URI of the one rack PDU. */
  pduUri: string;
  /** While true the server accepts requests and never answers them (a hung BMC), for timeout tests. */
  setStalled(stalled: boolean): void;
  close(): Promise<void>;
}

const ROOT = "/redfish/v1";
const PDU = `${ROOT}/PowerEquipment/RackPDUs/1`;
const SESSIONS = `${ROOT}/SessionService/Sessions`;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A Redfish service for one rack PDU on 127.0.0.1 and a free port, over
 * plain HTTP (node:http; production PDUs use HTTPS with the same paths).
 * Serves the service root without authentication, as the specification
 * requires, and everything else only with HTTP Basic credentials or an
 * `X-Auth-Token` from `POST /redfish/v1/SessionService/Sessions` (201 with
 * the token and the session's Location; `DELETE` on it logs out). The PDU
 * (`/redfish/v1/PowerEquipment/RackPDUs/1`, EquipmentType RackPDU) has one
 * main `AC1` and outlets `OUTLET1…n` whose `EnergykWh` (Reading and
 * LifetimeReading, kWh with Wh resolution) advances with `PowerWatts`.
 *
 * @example
 * ```ts
 * const sim = await startRedfishPduSimulator({ outletWatts: [300, 800] });
 * ```
 */
export async function startRedfishPduSimulator(
  options: RedfishPduSimulatorOptions = {},
): Promise<RedfishPduSimulator> {
  const now = options.now ?? Date.now;
  const started = now();
  const watts = options.outletWatts ?? [250, 600];
  const startWh = options.outletStartWattHours ?? watts.map((_, i) => 20_000 * (i + 1));
  const userName = options.userName ?? "ei-reader";
  const password = options.password ?? "ei-reader-password";
  const sessions = new Map<string, string>(); // token → session id
  let stalled = false;

  const outletWh = (i: number): number =>
    Math.floor((startWh[i] ?? 0) + ((watts[i] ?? 0) * (now() - started)) / 3_600_000);
  const kWh = (wh: number): number => wh / 1000; // JSON number with ≤ 3 decimals
  const metered = (uri: string, id: string, w: number, wh: number) => ({
    "@odata.id": uri,
    "@odata.type": uri.includes("/Mains/") ? "#Circuit.v1_7_0.Circuit" : "#Outlet.v1_4_0.Outlet",
    Id: id,
    Name: id,
    EnergykWh: {
      DataSourceUri: `${PDU}/Sensors/Energy${id}`,
      Reading: kWh(wh),
      LifetimeReading: kWh(wh),
    },
    PowerWatts: { DataSourceUri: `${PDU}/Sensors/Power${id}`, Reading: w, PowerFactor: 0.97 },
    Voltage: { Reading: 230.2 },
    CurrentAmps: { Reading: Number((w / 230.2 / 0.97).toFixed(2)) },
  });

  function resource(path: string): unknown {
    const outletIds = watts.map((_, i) => `OUTLET${i + 1}`);
    if (path === `${ROOT}/PowerEquipment/RackPDUs`) {
      return { "@odata.id": path, Members: [{ "@odata.id": PDU }], "Members@odata.count": 1 };
    }
    if (path === PDU) {
      return {
        "@odata.id": PDU,
        "@odata.type": "#PowerDistribution.v1_3_0.PowerDistribution",
        Id: "1",
        Name: "Rack PDU 1",
        EquipmentType: "RackPDU",
        Manufacturer: "Energy-Intelligence",
        Model: "SIM-RPDU",
        SerialNumber: options.serialNumber ?? "RPDU-0001",
        Mains: { "@odata.id": `${PDU}/Mains` },
        Outlets: { "@odata.id": `${PDU}/Outlets` },
      };
    }
    if (path === `${PDU}/Mains`) {
      return {
        "@odata.id": path,
        Members: [{ "@odata.id": `${PDU}/Mains/AC1` }],
        "Members@odata.count": 1,
      };
    }
    if (path === `${PDU}/Mains/AC1`) {
      const total = watts.reduce((sum, _, i) => sum + outletWh(i), 0);
      return metered(
        path,
        "AC1",
        watts.reduce((a, b) => a + b, 0),
        total,
      );
    }
    if (path === `${PDU}/Outlets`) {
      return {
        "@odata.id": path,
        Members: outletIds.map((id) => ({ "@odata.id": `${PDU}/Outlets/${id}` })),
        "Members@odata.count": outletIds.length,
      };
    }
    const index = outletIds.findIndex((id) => path === `${PDU}/Outlets/${id}`);
    if (index >= 0)
      return metered(path, outletIds[index] ?? "", watts[index] ?? 0, outletWh(index));
    return undefined;
  }

  function send(
    response: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = body === undefined ? "" : JSON.stringify(body);
    response.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "odata-version": "4.0",
      ...headers,
    });
    response.end(text);
  }

  function authorised(request: IncomingMessage): boolean {
    const token = request.headers["x-auth-token"];
    if (typeof token === "string" && sessions.has(token)) return true;
    const header = request.headers.authorization ?? "";
    if (!header.startsWith("Basic ")) return false;
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    return sameText(decoded, `${userName}:${password}`);
  }

  async function body(request: IncomingMessage): Promise<string> {
    let text = "";
    for await (const chunk of request) {
      text += String(chunk);
      if (text.length > 64 * 1024) throw new Error("body too large");
    }
    return text;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? "/").split("?")[0]?.replace(/\/$/, "") ?? "";
    if (request.method === "GET" && path === ROOT) {
      send(response, 200, {
        "@odata.id": ROOT,
        "@odata.type": "#ServiceRoot.v1_15_0.ServiceRoot",
        Id: "RootService",
        RedfishVersion: "1.17.0",
        SessionService: { "@odata.id": `${ROOT}/SessionService` },
        PowerEquipment: { "@odata.id": `${ROOT}/PowerEquipment` },
        Links: { Sessions: { "@odata.id": SESSIONS } },
      });
      return;
    }
    if (request.method === "POST" && path === SESSIONS) {
      let credentials: { UserName?: unknown; Password?: unknown } = {};
      try {
        credentials = JSON.parse(await body(request)) as typeof credentials;
      } catch {
        send(response, 400, { error: { code: "Base.1.0.MalformedJSON", message: "bad JSON" } });
        return;
      }
      if (
        typeof credentials.UserName !== "string" ||
        typeof credentials.Password !== "string" ||
        !sameText(credentials.UserName, userName) ||
        !sameText(credentials.Password, password)
      ) {
        send(response, 401, {
          error: { code: "Base.1.0.NoValidSession", message: "invalid credentials" },
        });
        return;
      }
      const id = String(sessions.size + 1);
      const token = randomBytes(24).toString("hex");
      sessions.set(token, id);
      send(
        response,
        201,
        { "@odata.id": `${SESSIONS}/${id}`, Id: id, UserName: userName },
        { "x-auth-token": token, location: `${SESSIONS}/${id}` },
      );
      return;
    }
    if (!authorised(request)) {
      send(
        response,
        401,
        { error: { code: "Base.1.0.NoValidSession", message: "authentication required" } },
        {
          "www-authenticate": 'Basic realm="Redfish"',
        },
      );
      return;
    }
    if (request.method === "DELETE" && path.startsWith(`${SESSIONS}/`)) {
      for (const [token, id] of sessions) if (path === `${SESSIONS}/${id}`) sessions.delete(token);
      send(response, 204);
      return;
    }
    const found = request.method === "GET" ? resource(path) : undefined;
    if (found === undefined)
      send(response, 404, { error: { code: "Base.1.0.ResourceMissingAtURI" } });
    else send(response, 200, found);
  }

  const server = createServer((request, response) => {
    if (stalled) return; // hold the socket open without answering
    handle(request, response).catch(() => {
      send(response, 500, { error: { code: "Base.1.0.InternalError" } });
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    pduUri: PDU,
    setStalled: (value: boolean) => {
      stalled = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
