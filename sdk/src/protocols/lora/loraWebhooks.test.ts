import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { encodeLoraPayload } from "./encodeLoraPayload.ts";
import { loraUplinkToReadings } from "./loraUplinkToReadings.ts";
import { parseChirpstackUplinkEvent } from "./parseChirpstackUplinkEvent.ts";
import { parseTtnUplinkWebhook } from "./parseTtnUplinkWebhook.ts";

const payload = encodeLoraPayload({
  version: 2,
  ageSeconds: 30,
  channels: [
    { channel: 1, energyImportedWh: 4_000_000_000, energyExportedWh: 5, powerDecawatts: -12 },
    { channel: 2, energyImportedWh: 7, energyExportedWh: 0, powerDecawatts: 300 },
  ],
});
const base64 = btoa(String.fromCharCode(...payload));

// Shaped after The Things Stack's documented uplink webhook message.
const ttnBody = {
  end_device_ids: {
    device_id: "meter-hall-3",
    application_ids: { application_id: "energy-intelligence" },
    dev_eui: "70B3D57ED005A1B2",
    join_eui: "0000000000000000",
    dev_addr: "260B1234",
  },
  correlation_ids: ["as:up:01H"],
  received_at: "2025-03-01T10:00:01.123456789Z",
  uplink_message: {
    session_key_id: "AYZ",
    f_port: 10,
    f_cnt: 4711,
    frm_payload: base64,
    rx_metadata: [
      {
        gateway_ids: { gateway_id: "gw-roof", eui: "B827EBFFFE000001" },
        rssi: -97,
        channel_rssi: -97,
        snr: 7.25,
      },
      { gateway_ids: { gateway_id: "gw-yard" }, rssi: -112, snr: -3 },
    ],
    settings: {
      data_rate: { lora: { bandwidth: 125000, spreading_factor: 7 } },
      frequency: "868100000",
    },
    received_at: "2025-03-01T10:00:01.000Z",
  },
};

// Shaped after ChirpStack v4's HTTP integration `event=up` JSON.
const chirpstackBody = {
  deduplicationId: "3ac7e3c4-4401-4b8d-9386-a5c902f9202d",
  time: "2025-03-01T10:00:01.000+00:00",
  deviceInfo: {
    tenantId: "52f14cd4-c6f1-4fbd-8f87-4025e1d49242",
    tenantName: "Factory",
    applicationId: "17c82e96-be03-4f38-aef3-f83d48582d97",
    applicationName: "energy",
    deviceProfileName: "ei-meter",
    deviceName: "meter-hall-3",
    devEui: "70b3d57ed005a1b2",
    tags: {},
  },
  devAddr: "00189440",
  adr: true,
  dr: 5,
  fCnt: 4711,
  fPort: 10,
  confirmed: false,
  data: base64,
  rxInfo: [
    {
      gatewayId: "0016c001f153a14c",
      uplinkId: 4217106255,
      rssi: -36,
      snr: 10.5,
      context: "E3OWOQ==",
    },
  ],
  txInfo: {
    frequency: 868100000,
    modulation: { lora: { bandwidth: 125000, spreadingFactor: 7, codeRate: "CR_4_5" } },
  },
};

describe("LoRaWAN webhooks", () => {
  it("parse a TTN v3 uplink webhook into readings, keeping radio metadata", () => {
    const uplink = parseTtnUplinkWebhook(ttnBody);
    assert.equal(uplink.devEui, "70b3d57ed005a1b2");
    assert.equal(uplink.fCnt, 4711);
    assert.deepEqual(uplink.radio, { rssi: -97, snr: 7.25, gatewayIds: ["gw-roof", "gw-yard"] });
    const readings = loraUplinkToReadings(uplink);
    assert.deepEqual(readings[0], {
      deviceId: "70b3d57ed005a1b2",
      channel: 1,
      timestampMs: Date.parse("2025-03-01T10:00:00.000Z") - 29_000, // received 10:00:01, measured 30 s before
      energyImportedMilliWattHours: 4_000_000_000_000n,
      energyExportedMilliWattHours: 5_000n,
      powerMilliWatts: -120_000,
      quality: "measured",
      authentication: "network-server",
    });
    assert.equal(readings.length, 2);
  });

  it("parse a ChirpStack v4 event=up body into the same uplink", () => {
    const uplink = parseChirpstackUplinkEvent(chirpstackBody);
    const ttn = parseTtnUplinkWebhook(ttnBody);
    assert.deepEqual({ ...uplink, networkServer: "ttn", radio: ttn.radio }, ttn);
    assert.deepEqual(uplink.radio, { rssi: -36, snr: 10.5, gatewayIds: ["0016c001f153a14c"] });
  });

  it("refuse malformed bodies with the path of the bad field", () => {
    const cases: [() => unknown, string][] = [
      [
        () =>
          parseTtnUplinkWebhook({
            ...ttnBody,
            end_device_ids: { ...ttnBody.end_device_ids, dev_eui: "xyz" },
          }),
        "end_device_ids.dev_eui",
      ],
      [
        () =>
          parseTtnUplinkWebhook({
            ...ttnBody,
            uplink_message: { ...ttnBody.uplink_message, frm_payload: "###" },
          }),
        "uplink_message.frm_payload",
      ],
      [() => parseTtnUplinkWebhook("not json"), "body"],
      [() => parseChirpstackUplinkEvent({ ...chirpstackBody, time: "yesterday" }), "time"],
      [() => parseChirpstackUplinkEvent({ ...chirpstackBody, fPort: 300 }), "fPort"],
    ];
    for (const [fn, path] of cases) {
      assert.throws(
        fn,
        (error) =>
          error instanceof ProtocolFrameError &&
          error.reason === "malformed-json" &&
          error.path === path,
      );
    }
  });

  it("refuse an uplink on another fPort when turning it into readings", () => {
    const uplink = parseTtnUplinkWebhook({
      ...ttnBody,
      uplink_message: { ...ttnBody.uplink_message, f_port: 2 },
    });
    assert.throws(
      () => loraUplinkToReadings(uplink),
      (error) => error instanceof ProtocolFrameError && error.reason === "wrong-fport",
    );
  });
});
