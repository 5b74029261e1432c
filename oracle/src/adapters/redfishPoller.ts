import {
  type ProtocolReading,
  parseRedfishResource,
  pollErrorToFrameError,
  redfishCollectionSchema,
  redfishMeteredResourceSchema,
  redfishPduToReadings,
  redfishPowerDistributionSchema,
} from "@energy-intelligence/sdk/protocols/index";
import type { DevicePoller } from "./pollScheduler.ts";

/** An HTTP status that is neither success nor a parse problem. */
export class RedfishHttpError extends Error {
  override name = "RedfishHttpError";
  readonly status: number;
  constructor(uri: string, status: number) {
    super(`${uri}: HTTP ${status}`);
    this.status = status;
  }
}

/**
 * Polls a Redfish PDU (DMTF PowerDistribution): the PDU resource, its Mains
 * and Outlets collections and every member, with HTTP basic auth or a
 * Redfish session (POST SessionService/Sessions, `X-Auth-Token`; a 401
 * logs in again once; `reset()` logs out). Every request carries the poll's
 * AbortSignal, so a hung service is a `timeout`.
 */
export function createRedfishPoller(options: {
  url: string;
  pduId: string;
  mode: "basic" | "session";
  userName: string;
  password: string;
}): DevicePoller {
  const base = options.url.replace(/\/+$/u, "");
  const pduUri = `/redfish/v1/PowerEquipment/RackPDUs/${options.pduId}`;
  let session: { token: string; location: string | undefined } | undefined;

  const login = async (signal: AbortSignal): Promise<Record<string, string>> => {
    if (options.mode === "basic") {
      return {
        authorization: `Basic ${Buffer.from(`${options.userName}:${options.password}`).toString("base64")}`,
      };
    }
    if (session === undefined) {
      const response = await fetch(`${base}/redfish/v1/SessionService/Sessions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ UserName: options.userName, Password: options.password }),
        signal,
      });
      await response.body?.cancel();
      const token = response.headers.get("x-auth-token");
      if (!response.ok || token === null)
        throw new RedfishHttpError("/redfish/v1/SessionService/Sessions", response.status);
      session = { token, location: response.headers.get("location") ?? undefined };
    }
    return { "x-auth-token": session.token };
  };

  const get = async (uri: string, signal: AbortSignal): Promise<string> => {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(`${base}${uri}`, {
          headers: { accept: "application/json", ...(await login(signal)) },
          signal,
        });
      } catch (error) {
        throw pollErrorToFrameError("redfish", error, uri) ?? error;
      }
      if (response.status === 401 && options.mode === "session" && attempt === 0) {
        await response.body?.cancel();
        session = undefined; // expired session: log in again once
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new RedfishHttpError(uri, response.status);
      }
      return response.text();
    }
  };

  const reset = async (): Promise<void> => {
    const current = session;
    session = undefined;
    if (current?.location === undefined) return;
    await fetch(new URL(current.location, base), {
      method: "DELETE",
      headers: { "x-auth-token": current.token },
      signal: AbortSignal.timeout(2000),
    })
      .then((response) => response.body?.cancel())
      .catch(() => undefined);
  };

  return {
    async poll(signal): Promise<ProtocolReading[]> {
      const members = async (uri: string) => {
        const collection = parseRedfishResource(
          redfishCollectionSchema,
          await get(uri, signal),
          uri,
        );
        const out = [];
        for (const member of collection.Members) {
          const memberUri = member["@odata.id"];
          out.push(
            parseRedfishResource(
              redfishMeteredResourceSchema,
              await get(memberUri, signal),
              memberUri,
            ),
          );
        }
        return out;
      };
      const pdu = parseRedfishResource(
        redfishPowerDistributionSchema,
        await get(pduUri, signal),
        pduUri,
      );
      const mains = pdu.Mains === undefined ? [] : await members(pdu.Mains["@odata.id"]);
      const outlets = pdu.Outlets === undefined ? [] : await members(pdu.Outlets["@odata.id"]);
      return redfishPduToReadings({ pdu, mains, outlets }, { timestampMs: Date.now() });
    },
    reset,
    close: reset,
  };
}
