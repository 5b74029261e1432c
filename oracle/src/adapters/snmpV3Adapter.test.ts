import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { startSnmpPduSimulator } from "../sim/protocols/startSnmpPduSimulator.ts";
import type { SnmpPduSimulator } from "../sim/protocols/startSnmpPduSimulator.ts";
import {
  type AdapterTestGateway,
  adapterDeviceId,
  startAdapterTestGateway,
} from "./testing/adapterTestGateway.ts";

// Generous: a session's first v3 request localises the keys (RFC 3414 A.2, a
// megabyte of hashing per key) on a test machine that may be busy.
const schedule = { intervalMs: 600, timeoutMs: 500, retries: 1, backoffMs: 20, maxBackoffMs: 40 };
const GOOD = adapterDeviceId("apc-pdu-v3");
const WRONG = adapterDeviceId("raritan-pdu-v3-wrong-key");
const v3User = { name: "ei-gateway", authKey: "auth-secret-1234", privKey: "priv-secret-5678" };

describe("SNMP v3 authPriv (SHA, AES): agent simulator → snmp adapter → ingest → SQLite", () => {
  let apc: SnmpPduSimulator;
  let raritan: SnmpPduSimulator;
  let site: AdapterTestGateway;

  before(async () => {
    apc = await startSnmpPduSimulator({ profile: "apc-rpdu2", outletWatts: [200, 1000], v3User });
    raritan = await startSnmpPduSimulator({ profile: "raritan-pdu2", outletWatts: [300], v3User });
    site = await startAdapterTestGateway({
      devices: [
        { deviceId: GOOD, kind: "pdu", authScheme: "polled", channelCount: 3 },
        { deviceId: WRONG, kind: "pdu", authScheme: "polled", channelCount: 2 },
      ],
      secrets: { auth: v3User.authKey, priv: v3User.privKey, wrongAuth: "not-the-auth-key" },
      adapters: (secret) => [
        {
          kind: "snmp",
          name: "apc-pdu-v3",
          deviceId: GOOD,
          host: apc.host,
          port: apc.port,
          profile: "apc-rpdu2",
          auth: {
            version: "v3",
            user: v3User.name,
            authProtocol: "sha",
            authKeyFile: secret("auth"),
            privProtocol: "aes",
            privKeyFile: secret("priv"),
          },
          schedule,
        },
        {
          kind: "snmp",
          name: "raritan-pdu-v3",
          deviceId: WRONG,
          host: raritan.host,
          port: raritan.port,
          profile: "raritan-pdu2",
          auth: {
            version: "v3",
            user: v3User.name,
            authKeyFile: secret("wrongAuth"),
            privKeyFile: secret("priv"),
          },
          schedule,
        },
      ],
    });
  });
  after(async () => {
    await site.close();
    await Promise.all([apc.close(), raritan.close()]);
  });

  it("stores the PDU's readings, polled and measured, poll after poll", async () => {
    // Three polls at least: the session (engine discovery, localised keys) is reused.
    await site.waitFor("v3 readings", () => site.readings(GOOD).length >= 9, 15_000);
    const readings = site.readings(GOOD);
    assert.deepEqual([...new Set(readings.map((r) => r.channel))].sort(), [0, 1, 2]);
    assert.ok(readings.every((r) => r.authScheme === "polled" && r.quality === "measured"));
    readings.forEach((r, index) => {
      assert.equal(r.sequence, index);
    });
    assert.equal(site.gateway.adapters.health.get(GOOD)?.state, "ok");
  });

  it("a wrong v3 auth key is refused by the agent: degraded as auth-failed, nothing stored", async () => {
    await site.waitFor(
      "wrong-key device degraded",
      () => site.gateway.adapters.health.get(WRONG)?.state === "degraded",
    );
    const error = site.gateway.adapters.health.get(WRONG)?.lastError;
    assert.equal(error?.reason, "auth-failed");
    assert.match(error.detail, /SNMPv3 credentials: Wrong Digest/u);
    assert.equal(site.readings(WRONG).length, 0);
    const degraded = site.events(WRONG).find((e) => e.kind === "adapter_degraded");
    assert.equal(degraded?.detail.reason, "auth-failed");
    const api = await site.gateway.app.inject({ method: "GET", url: "/v1/adapters" });
    const listed = api
      .json<{
        devices: { deviceId: string; state: string; lastError: { reason: string } | null }[];
      }>()
      .devices.find((d) => d.deviceId === WRONG);
    assert.equal(listed?.state, "degraded");
    assert.equal(listed.lastError?.reason, "auth-failed");
    const metrics = await site.gateway.app.inject({ method: "GET", url: "/metrics" });
    assert.match(
      metrics.body,
      /ei_adapter_frames_rejected_total\{adapter="raritan-pdu-v3",reason="auth-failed"\} [1-9]/u,
    );
    // The device with the right keys kept being polled meanwhile.
    const before = site.readings(GOOD).length;
    await site.waitFor("more v3 readings", () => site.readings(GOOD).length > before);
  });
});
