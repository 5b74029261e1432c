import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  parseRedfishResource,
  pollErrorToFrameError,
  ProtocolFrameError,
  redfishCollectionSchema,
  redfishMeteredResourceSchema,
  redfishPduToReadings,
  redfishPowerDistributionSchema,
} from "@energy-intelligence/sdk/protocols/index";
import type { ProtocolReading } from "@energy-intelligence/sdk/protocols/index";
import { startRedfishPduSimulator } from "./startRedfishPduSimulator.ts";
import type { RedfishPduSimulator } from "./startRedfishPduSimulator.ts";

/** What the Redfish adapter's poll does: GET the PDU, its collections and members; parse; classify failures. */
async function poll(
  baseUrl: string,
  pduUri: string,
  auth: Record<string, string>,
  timestampMs: number,
  timeoutMs = 2000,
): Promise<ProtocolReading[]> {
  const get = async (uri: string): Promise<string> => {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${uri}`, {
        headers: auth,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw pollErrorToFrameError("redfish", error, uri) ?? error;
    }
    if (!response.ok) throw new Error(`${uri}: HTTP ${response.status}`);
    return response.text();
  };
  const members = async (uri: string) => {
    const collection = parseRedfishResource(redfishCollectionSchema, await get(uri), uri);
    return Promise.all(
      collection.Members.map(async (m) =>
        parseRedfishResource(
          redfishMeteredResourceSchema,
          await get(m["@odata.id"]),
          m["@odata.id"],
        ),
      ),
    );
  };
  const pdu = parseRedfishResource(redfishPowerDistributionSchema, await get(pduUri), pduUri);
  const mains = pdu.Mains === undefined ? [] : await members(pdu.Mains["@odata.id"]);
  const outlets = pdu.Outlets === undefined ? [] : await members(pdu.Outlets["@odata.id"]);
  return redfishPduToReadings({ pdu, mains, outlets }, { timestampMs });
}

describe("Redfish PDU simulator polled over HTTP", () => {
  let clock = 1_700_000_000_000;
  let sim: RedfishPduSimulator;
  const basic = {
    authorization: `Basic ${Buffer.from("ei-reader:ei-reader-password").toString("base64")}`,
  };

  before(async () => {
    sim = await startRedfishPduSimulator({
      outletWatts: [300, 900],
      outletStartWattHours: [12_345, 600_000],
      now: () => clock,
    });
  });
  after(async () => {
    await sim.close();
  });

  it("basic auth: the main is channel 0, outlets 1…n, EnergykWh exact to the mWh", async () => {
    const first = await poll(sim.url, sim.pduUri, basic, clock);
    assert.deepEqual(
      first.map((r) => [r.deviceId, r.channel, r.energyImportedMilliWattHours, r.powerMilliWatts]),
      [
        ["RPDU-0001", 0, 612_345_000n, 1_200_000],
        ["RPDU-0001", 1, 12_345_000n, 300_000],
        ["RPDU-0001", 2, 600_000_000n, 900_000],
      ],
    );
    assert.equal(first[1]?.voltageMilliVolts, 230_200);
    assert.equal(first[1].powerFactorPerMille, 970);
    clock += 2 * 3_600_000;
    const later = await poll(sim.url, sim.pduUri, basic, clock);
    assert.deepEqual(
      later.map((r) => r.energyImportedMilliWattHours),
      [614_745_000n, 12_945_000n, 601_800_000n],
    );
  });

  it("session login: POST Sessions gives X-Auth-Token, which reads; DELETE logs out", async () => {
    const login = await fetch(`${sim.url}/redfish/v1/SessionService/Sessions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ UserName: "ei-reader", Password: "ei-reader-password" }),
    });
    assert.equal(login.status, 201);
    const token = login.headers.get("x-auth-token") ?? assert.fail("no token");
    const location = login.headers.get("location") ?? assert.fail("no location");
    const readings = await poll(sim.url, sim.pduUri, { "x-auth-token": token }, clock);
    assert.equal(readings.length, 3);
    const logout = await fetch(`${sim.url}${location}`, {
      method: "DELETE",
      headers: { "x-auth-token": token },
    });
    assert.equal(logout.status, 204);
    await assert.rejects(poll(sim.url, sim.pduUri, { "x-auth-token": token }, clock), /HTTP 401/);
  });

  it("refuses wrong credentials; the service root needs none", async () => {
    const bad = await fetch(`${sim.url}/redfish/v1/SessionService/Sessions`, {
      method: "POST",
      body: JSON.stringify({ UserName: "ei-reader", Password: "wrong" }),
    });
    assert.equal(bad.status, 401);
    assert.equal((await fetch(`${sim.url}/redfish/v1`)).status, 200);
    await assert.rejects(poll(sim.url, sim.pduUri, {}, clock), /HTTP 401/);
  });

  it("a hung service fails the poll with reason timeout", async () => {
    sim.setStalled(true);
    try {
      await assert.rejects(
        poll(sim.url, sim.pduUri, basic, clock, 200),
        (error) => error instanceof ProtocolFrameError && error.reason === "timeout",
      );
    } finally {
      sim.setStalled(false);
    }
  });
});
