import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  type AdapterTestGateway,
  adapterDeviceId,
  startAdapterTestGateway,
} from "../../adapters/testing/adapterTestGateway.ts";
import { postLoraUplink } from "../../sim/protocols/loraWebhookSimulator.ts";
import type { LoraUplinkInput } from "../../sim/protocols/loraWebhookSimulator.ts";

const TTN_METER = adapterDeviceId("lora-ttn");
const CS_METER = adapterDeviceId("lora-chirpstack");
const TTN_EUI = "70B3D57ED0001234";
const CS_EUI = "0004a30b001c0530";
const TTN_SECRET = "Bearer ttn-webhook-secret-0001";
const CS_SECRET = "chirpstack-secret-0002";

describe("LoRaWAN webhooks (TTN v3, ChirpStack v4) → gateway → SQLite", () => {
  let site: AdapterTestGateway;
  const ttn = (
    uplink: Partial<LoraUplinkInput> & { fCnt: number },
    secret: string | null = TTN_SECRET,
  ) =>
    postLoraUplink({
      url: site.gateway.httpUrl,
      networkServer: "ttn",
      header: "authorization",
      secret: secret ?? undefined,
      uplink: {
        devEui: TTN_EUI,
        energyImportedWh: 1000,
        watts: 500,
        receivedAtMs: Date.now(),
        ...uplink,
      },
    });
  const chirpstack = (
    uplink: Partial<LoraUplinkInput> & { fCnt: number },
    secret: string | null = CS_SECRET,
  ) =>
    postLoraUplink({
      url: site.gateway.httpUrl,
      networkServer: "chirpstack",
      header: "x-ei-secret",
      secret: secret ?? undefined,
      uplink: {
        devEui: CS_EUI,
        energyImportedWh: 7000,
        watts: 120,
        receivedAtMs: Date.now(),
        ...uplink,
      },
    });

  before(async () => {
    site = await startAdapterTestGateway({
      devices: [
        { deviceId: TTN_METER, kind: "lora-meter", authScheme: "network-server", channelCount: 1 },
        { deviceId: CS_METER, kind: "lora-meter", authScheme: "network-server", channelCount: 1 },
      ],
      secrets: { ttn: TTN_SECRET, chirpstack: CS_SECRET },
      adapters: (secret) => [
        {
          kind: "lora",
          name: "ttn",
          networkServer: "ttn",
          secretFile: secret("ttn"),
          devices: [{ devEui: TTN_EUI, deviceId: TTN_METER }],
          silentAfterMs: 1000,
        },
        {
          kind: "lora",
          name: "chirpstack",
          networkServer: "chirpstack",
          authHeader: "X-EI-Secret",
          secretFile: secret("chirpstack"),
          devices: [{ devEui: CS_EUI, deviceId: CS_METER }],
        },
      ],
    });
  });
  after(async () => {
    await site.close();
  });

  it("TTN: stores the uplink as network-server, measured; a retried post is a duplicate", async () => {
    const at = Date.now() - 60_000;
    const first = await ttn({ fCnt: 10, receivedAtMs: at });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body, { status: "stored", storedReadings: 1 });
    const again = await ttn({ fCnt: 10, receivedAtMs: at });
    assert.deepEqual(again.body, { status: "duplicate" });
    const [reading] = site.readings(TTN_METER);
    assert.equal(site.readings(TTN_METER).length, 1);
    assert.equal(reading?.authScheme, "network-server");
    assert.equal(reading.quality, "measured");
    assert.equal(reading.imported, 1_000_000n);
    assert.equal(reading.powerMilliWatts, 500_000);
    assert.equal(reading.timestampMs, at);
  });

  it("refuses forged posts (no secret, wrong secret) with 401 and a malformed body with 400, storing nothing", async () => {
    const count = site.readings(TTN_METER).length;
    const missing = await ttn({ fCnt: 11 }, null);
    assert.equal(missing.status, 401);
    assert.equal(missing.body.reason, "missing-secret");
    const wrong = await ttn({ fCnt: 11 }, "Bearer guessed");
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.reason, "bad-secret");
    const malformed = await fetch(new URL("/v1/webhooks/ttn", site.gateway.httpUrl), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: TTN_SECRET },
      body: JSON.stringify({ end_device_ids: { dev_eui: TTN_EUI }, uplink_message: {} }),
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { reason: string }).reason, "malformed-json");
    assert.equal(site.readings(TTN_METER).length, count);
  });

  it("flags a payload on the wrong fPort or of the wrong length, and an unknown DevEUI, without storing", async () => {
    const count = site.readings(TTN_METER).length;
    const port = await ttn({ fCnt: 11, fPort: 2 });
    assert.deepEqual(
      [port.status, port.body.status, port.body.reason],
      [200, "rejected", "wrong-fport"],
    );
    const length = await ttn({ fCnt: 12, payload: new Uint8Array([1, 2, 3]) });
    assert.deepEqual([length.body.status, length.body.reason], ["rejected", "wrong-length"]);
    const unknown = await ttn({ fCnt: 1, devEui: "0011223344556677" });
    assert.equal(unknown.body.status, "ignored");
    assert.equal(site.readings(TTN_METER).length, count);
  });

  it("records lost uplinks as a frame-counter gap and unwraps the 2^32 Wh counter rollover", async () => {
    await ttn({ fCnt: 20, energyImportedWh: 2 ** 32 - 10, receivedAtMs: Date.now() - 30_000 });
    const wrapped = await ttn({
      fCnt: 21,
      energyImportedWh: 2 ** 32 + 15,
      receivedAtMs: Date.now() - 20_000,
    });
    assert.equal(wrapped.body.status, "stored");
    const gap = site.events(TTN_METER).find((e) => e.kind === "adapter_uplink_gap");
    assert.deepEqual(gap?.detail, {
      adapter: "ttn",
      devEui: TTN_EUI.toLowerCase(),
      fromFCnt: 13,
      toFCnt: 19,
    });
    const readings = site.readings(TTN_METER);
    const last = readings.at(-1);
    assert.equal(last?.imported, (2n ** 32n + 15n) * 1000n);
    assert.equal(last.counterEpoch, null);
  });

  it("ChirpStack: stores event=up with its configured header, ignores other events", async () => {
    const stored = await chirpstack({ fCnt: 1 });
    assert.deepEqual(stored.body, { status: "stored", storedReadings: 1 });
    const forged = await chirpstack({ fCnt: 2 }, "nope");
    assert.equal(forged.status, 401);
    const join = await fetch(new URL("/v1/webhooks/chirpstack?event=join", site.gateway.httpUrl), {
      method: "POST",
      headers: { "content-type": "application/json", "x-ei-secret": CS_SECRET },
      body: JSON.stringify({ deviceInfo: { devEui: CS_EUI } }),
    });
    assert.equal(((await join.json()) as { status: string }).status, "ignored");
    const [reading] = site.readings(CS_METER);
    assert.equal(site.readings(CS_METER).length, 1);
    assert.equal(reading?.authScheme, "network-server");
    assert.equal(reading.imported, 7_000_000n);
  });

  it("a LoRa device silent past silentAfterMs is degraded with a gap until its next uplink", async () => {
    await site.waitFor(
      "silent",
      () => site.gateway.adapters.health.get(TTN_METER)?.state === "degraded",
      5000,
    );
    await ttn({ fCnt: 22, energyImportedWh: 2 ** 32 + 20 });
    assert.equal(site.gateway.adapters.health.get(TTN_METER)?.state, "ok");
    assert.ok(site.events(TTN_METER).some((e) => e.kind === "adapter_gap"));
    const api = await site.gateway.app.inject({ method: "GET", url: "/v1/adapters" });
    const body: { devices: { deviceId: string; radio?: { rssi: number; fCnt: number } }[] } =
      api.json();
    const radio = body.devices.find((d) => d.deviceId === TTN_METER)?.radio;
    assert.deepEqual([radio?.fCnt, radio?.rssi], [22, -97]);
  });

  it("registers both webhooks in the OpenAPI document", async () => {
    const doc = await site.gateway.app.inject({ method: "GET", url: "/openapi.json" });
    const openapi: { paths: Record<string, unknown> } = doc.json();
    const paths = Object.keys(openapi.paths);
    assert.ok(paths.includes("/v1/webhooks/ttn"));
    assert.ok(paths.includes("/v1/webhooks/chirpstack"));
    assert.ok(paths.includes("/v1/adapters"));
  });
});
