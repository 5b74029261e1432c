import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import mqtt from "mqtt";
import {
  DEVICE_MESSAGE_FORMAT,
  type DeviceReading,
  deviceReadingsTopic,
  signDeviceMessage,
} from "@energy-intelligence/sdk";
import { loadGatewayConfig } from "./config/loadGatewayConfig.ts";
import { type Gateway, startGateway } from "./server.ts";
import { DevicesRepository } from "./store/devicesRepository.ts";
import { ReadingsRepository } from "./store/readingsRepository.ts";
import { TEST_MACHINE_ID, TestDevice } from "./testing/deviceFixture.ts";

function firstReading(device: TestDevice): DeviceReading {
  const [reading] = device.readings(1);
  assert.ok(reading);
  return reading;
}

describe("gateway (HTTP and embedded MQTT, real store)", () => {
  let dataDir: string;
  let gateway: Gateway;
  let devices: DevicesRepository;
  let readings: ReadingsRepository;
  let nextDevice = 0;

  const newDevice = (channelCount = 3): TestDevice => {
    const device = new TestDevice(nextDevice++, { channelCount });
    device.register(devices);
    return device;
  };
  const post = (body: string | object, contentType = "application/json"): Promise<Response> =>
    fetch(`${gateway.httpUrl}/v1/readings`, {
      method: "POST",
      headers: { "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const expectProblem = async (
    response: Response,
    status: number,
    reason: string,
  ): Promise<void> => {
    const problem = (await response.json()) as { reason?: string; status: number; detail?: string };
    assert.equal(response.status, status, JSON.stringify(problem));
    assert.equal(
      response.headers.get("content-type")?.startsWith("application/problem+json"),
      true,
    );
    assert.equal(problem.reason, reason);
    assert.equal(problem.status, status);
  };
  const rejected = (reason: string, transport = "http"): number =>
    gateway.metrics.messagesRejected.get({ transport, reason });

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "ei-gateway-"));
    const config = loadGatewayConfig({
      overrides: {
        dataDir,
        http: { port: 0 },
        mqtt: { mode: "embedded", port: 0 },
        log: { level: "silent" },
        ingest: { maxMessageBytes: 64 * 1024, maxClockSkewMs: 60_000 },
      },
    });
    gateway = await startGateway(config);
    devices = new DevicesRepository(gateway.db);
    readings = new ReadingsRepository(gateway.db);
  });
  after(async () => {
    await gateway.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe("HTTP", () => {
    it("answers 202 after commit, and 202 duplicate for a retransmission", async () => {
      const device = newDevice();
      const before = readings.count();
      const message = device.message(10);
      const response = await post(message);
      assert.equal(response.status, 202);
      const body = (await response.json()) as { status: string; storedReadings: number };
      assert.deepEqual([body.status, body.storedReadings], ["stored", 10]);
      assert.equal(readings.count(), before + 10); // committed before the answer
      const again = await post(message);
      assert.equal(again.status, 202);
      assert.equal(((await again.json()) as { status: string }).status, "duplicate");
      assert.equal(readings.count(), before + 10);
    });

    const cases: [string, number, string, () => Promise<Response>][] = [
      ["malformed JSON", 400, "malformed_json", () => post("{not json")],
      [
        "binary garbage",
        400,
        "malformed_json",
        () => post(Buffer.from([0xff, 0x00, 0x13]).toString("latin1")),
      ],
      [
        "a message with a wrong shape",
        400,
        "invalid_message",
        () => post({ ...newDevice().message(1), readings: [] }),
      ],
      [
        "a missing signature",
        401,
        "missing_signature",
        () => {
          const { auth: _auth, ...body } = newDevice().message(1);
          return post(body);
        },
      ],
      [
        "a wrong signature",
        401,
        "bad_signature",
        () => {
          const message = newDevice().message(2);
          return post({ ...message, sentAtMs: message.sentAtMs + 1 });
        },
      ],
      [
        "a message signed by another device's key",
        401,
        "bad_signature",
        () => {
          const victim = newDevice();
          const attacker = newDevice();
          return post({ ...attacker.message(1), deviceId: victim.deviceId });
        },
      ],
      ["an unknown device", 403, "unknown_device", () => post(new TestDevice(9999).message(1))],
      [
        "a revoked device",
        403,
        "revoked_device",
        () => {
          const device = newDevice();
          devices.revoke(device.deviceId);
          return post(device.message(1));
        },
      ],
      [
        "an HMAC message from an Ed25519 device",
        401,
        "wrong_auth_scheme",
        () => {
          const device = newDevice();
          const body = {
            format: DEVICE_MESSAGE_FORMAT,
            deviceId: device.deviceId,
            sentAtMs: Date.now(),
            readings: device.readings(1),
          } as const;
          return post(
            signDeviceMessage({ body, scheme: "hmac-sha256", secret: `0x${"11".repeat(32)}` }),
          );
        },
      ],
      [
        "an unsigned message over HTTP",
        401,
        "wrong_auth_scheme",
        () => {
          const { auth: _auth, ...body } = newDevice().message(1);
          return post({ ...body, auth: { scheme: "polled" } });
        },
      ],
      [
        "an unregistered channel",
        422,
        "unknown_channel",
        () => newDeviceWithReading({ channel: 7 }),
      ],
      [
        "sequences out of order within a message",
        400,
        "sequence_not_increasing",
        () => {
          const device = newDevice();
          return post(device.sign(device.readings(3).reverse()));
        },
      ],
      [
        "a timestamp far in the future",
        422,
        "timestamp_in_future",
        () => newDeviceWithReading({ timestampMs: Date.now() + 3_600_000 }),
      ],
      [
        "a replayed sequence with other values",
        409,
        "replayed_sequence",
        async () => {
          const device = newDevice();
          const first = firstReading(device);
          await post(device.sign([first]));
          return post(device.sign([{ ...first, energyImportedMilliWattHours: "77" }]));
        },
      ],
      [
        "a counter going backwards",
        409,
        "counter_backwards",
        async () => {
          const device = newDevice(1);
          await post(device.message(1));
          return post(
            device.sign([{ ...firstReading(device), energyImportedMilliWattHours: "5" }]),
          );
        },
      ],
      [
        "an oversized message",
        413,
        "message_too_large",
        () => post({ padding: "x".repeat(70 * 1024) }),
      ],
    ];
    const newDeviceWithReading = (
      change: Partial<{ channel: number; timestampMs: number }>,
    ): Promise<Response> => {
      const device = newDevice(1);
      return post(device.sign([{ ...firstReading(device), ...change }]));
    };

    for (const [name, status, reason, send] of cases) {
      it(`refuses ${name}: ${status} ${reason}, nothing stored, counted`, async () => {
        const before = readings.count();
        const counted = rejected(reason);
        const response = await send();
        await expectProblem(response, status, reason);
        // A setup message (for replays and counters) may have been stored, never the refused one.
        assert.ok(readings.count() <= before + 1);
        assert.equal(rejected(reason), counted + 1);
      });
    }

    it("keeps serving after all of that", async () => {
      const response = await post(newDevice().message(1));
      assert.equal(response.status, 202);
    });

    it("serves OpenAPI 3.1 describing the ingest route and its problem responses", async () => {
      const document = (await (await fetch(`${gateway.httpUrl}/openapi.json`)).json()) as {
        openapi: string;
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      assert.equal(document.openapi, "3.1.0");
      const responses = document.paths["/v1/readings"]?.post?.responses ?? {};
      for (const status of ["202", "400", "401", "403", "409", "413", "422", "503"]) {
        assert.ok(status in responses, `missing ${status}`);
      }
    });

    it("answers /healthz, /readyz and /metrics", async () => {
      assert.equal((await fetch(`${gateway.httpUrl}/healthz`)).status, 200);
      const ready = await fetch(`${gateway.httpUrl}/readyz`);
      // Other stages add their own checks (chain, IPFS); ingest owns these two.
      const readiness = (await ready.json()) as { status: string; checks: Record<string, boolean> };
      assert.equal(readiness.status, "ready");
      assert.equal(readiness.checks.store, true);
      assert.equal(readiness.checks.mqtt, true);
      const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
      for (const series of [
        'ei_readings_ingested_total{transport="http"}',
        'ei_messages_rejected_total{reason="bad_signature",transport="http"}',
        'ei_ingest_queue_readings{state="queued"}',
        "ei_device_clock_drift_milliseconds{device_id=",
        "ei_gateway_uptime_seconds",
      ]) {
        assert.ok(metrics.includes(series), `missing ${series}`);
      }
    });

    it("lists devices without their secrets, and a device's ingest events", async () => {
      const hmacDevice = `0x${"77".repeat(32)}` as const;
      devices.add({
        deviceId: hmacDevice,
        siteId: `0x${"51".repeat(32)}`,
        machineId: TEST_MACHINE_ID,
        kind: "meter",
        authScheme: "hmac-sha256",
        hmacSecret: `0x${"aa".repeat(32)}`,
        channelCount: 1,
      });
      const text = await (await fetch(`${gateway.httpUrl}/v1/devices`)).text();
      assert.ok(text.includes(hmacDevice));
      assert.ok(!text.includes("aa".repeat(32)));
      const events = await fetch(`${gateway.httpUrl}/v1/devices/${hmacDevice}/events`);
      assert.deepEqual(await events.json(), { events: [] });
      await expectProblemStatus(`${gateway.httpUrl}/v1/devices/0x${"00".repeat(32)}`, 404);
    });
    const expectProblemStatus = async (url: string, status: number): Promise<void> => {
      const response = await fetch(url);
      assert.equal(response.status, status);
      assert.ok(response.headers.get("content-type")?.startsWith("application/problem+json"));
    };
  });

  describe("MQTT", () => {
    it("acknowledges a QoS 1 publish only once the readings are committed", async () => {
      const device = newDevice();
      const client = await mqtt.connectAsync(gateway.mqttUrl ?? "");
      try {
        const before = readings.count();
        await client.publishAsync(deviceReadingsTopic(device), JSON.stringify(device.message(25)), {
          qos: 1,
        });
        // The PUBACK has arrived: the rows must already be there.
        assert.equal(readings.count(), before + 25);
      } finally {
        await client.endAsync();
      }
    });

    it("drops a bad message without dropping the client, counts the reason and tells the device", async () => {
      const device = newDevice();
      const client = await mqtt.connectAsync(gateway.mqttUrl ?? "");
      try {
        const notices: string[] = [];
        await client.subscribeAsync(`ei/v1/${device.siteId}/${device.deviceId}/rejections`, {
          qos: 0,
        });
        client.on("message", (_topic, payload) => notices.push(payload.toString()));
        const topic = deviceReadingsTopic(device);
        const badBefore = rejected("bad_signature", "mqtt");
        const message = device.message(2);
        await client.publishAsync(topic, JSON.stringify({ ...message, sentAtMs: 1 }), { qos: 1 });
        await client.publishAsync(topic, "garbage", { qos: 1 });
        assert.equal(rejected("bad_signature", "mqtt"), badBefore + 1);
        const other = newDevice();
        await client.publishAsync(deviceReadingsTopic(other), JSON.stringify(device.message(1)), {
          qos: 1,
        });
        assert.ok(rejected("topic_mismatch", "mqtt") >= 1);
        // Same connection, still accepted:
        const before = readings.count();
        await client.publishAsync(topic, JSON.stringify(message), { qos: 1 });
        assert.equal(readings.count(), before + 2);
        assert.ok(client.connected);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.ok(
          notices.some((notice) => notice.includes("bad_signature")),
          notices.join(),
        );
        assert.ok(
          notices.some((notice) => notice.includes("malformed_json")),
          notices.join(),
        );
      } finally {
        await client.endAsync();
      }
    });
  });
});
