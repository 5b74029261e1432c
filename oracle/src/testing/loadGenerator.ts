import { Agent, request } from "node:http";
import mqtt from "mqtt";
import { deviceReadingsTopic } from "@energy-intelligence/sdk";
import type { TestDevice } from "./deviceFixture.ts";

/** One device's pre-signed messages, sent in order on one connection. */
export interface MessageStream {
  device: TestDevice;
  payloads: string[];
  readingsPerMessage: number;
}

export interface AckRecord {
  deviceId: string;
  /** Index of the message in its stream. */
  index: number;
  readings: number;
  latencyMs: number;
}

/** Signs `messages` messages of `readingsPerMessage` readings for each device (before any timing starts). */
export function presign(
  devices: TestDevice[],
  messages: number,
  readingsPerMessage: number,
): MessageStream[] {
  return devices.map((device) => ({
    device,
    readingsPerMessage,
    payloads: Array.from({ length: messages }, () =>
      JSON.stringify(device.signFast(device.readings(readingsPerMessage))),
    ),
  }));
}

/**
 * POSTs each stream's messages in order over its own keep-alive connection,
 * up to `window` requests of a stream outstanding at once… kept to 1 so a
 * device's messages arrive in order, as a real device sends them.
 * `onAck` sees every 202; anything else throws unless `tolerateErrors`.
 */
export async function sendHttp(options: {
  url: string;
  streams: MessageStream[];
  onAck?: (ack: AckRecord) => void;
  tolerateErrors?: boolean;
  shouldStop?: () => boolean;
}): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.streams.length });
  const target = new URL("/v1/readings", options.url);
  const post = (payload: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        target,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(payload),
          },
        },
        (res) => {
          res.resume();
          res.on("error", reject);
          res.on("end", () => {
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  try {
    await Promise.all(
      options.streams.map(async (stream) => {
        for (let index = 0; index < stream.payloads.length; index++) {
          if (options.shouldStop?.() === true) return;
          const payload = stream.payloads[index] ?? "";
          const started = performance.now();
          let status: number;
          try {
            status = await post(payload);
          } catch (error) {
            if (options.tolerateErrors === true) return;
            throw error;
          }
          if (status === 503) {
            index--; // overloaded: retry the same message
            await new Promise((resolve) => setTimeout(resolve, 5));
            continue;
          }
          if (status !== 202) {
            if (options.tolerateErrors === true) return;
            throw new Error(`HTTP ${status} for message ${index} of ${stream.device.deviceId}`);
          }
          options.onAck?.({
            deviceId: stream.device.deviceId,
            index,
            readings: stream.readingsPerMessage,
            latencyMs: performance.now() - started,
          });
        }
      }),
    );
  } finally {
    agent.destroy();
  }
}

/**
 * Publishes each stream's messages (QoS 1) on one MQTT connection per stream,
 * keeping up to `window` unacknowledged, and reports each PUBACK.
 */
export async function sendMqtt(options: {
  url: string;
  streams: MessageStream[];
  window: number;
  onAck?: (ack: AckRecord) => void;
  tolerateErrors?: boolean;
  shouldStop?: () => boolean;
}): Promise<void> {
  await Promise.all(
    options.streams.map(async (stream) => {
      const client = mqtt.connect(options.url, { reconnectPeriod: 0, clean: true });
      client.on("error", () => undefined);
      // Settles on CONNACK, or on close (connectAsync would wait forever when a
      // killed broker closes the socket without an error).
      const connected = await new Promise<boolean>((resolve) => {
        client.once("connect", () => {
          resolve(true);
        });
        client.once("close", () => {
          resolve(false);
        });
      });
      if (!connected) {
        client.end(true);
        if (options.tolerateErrors === true) return;
        throw new Error(`cannot connect to ${options.url}`);
      }
      // mqtt.js keeps an unacknowledged QoS 1 publish for a reconnect that
      // never comes (reconnectPeriod 0): settle it when the connection closes.
      const closed = new Promise<never>((_resolve, reject) => {
        client.once("close", () => {
          reject(new Error("the MQTT connection closed"));
        });
      });
      closed.catch(() => undefined);
      const topic = deviceReadingsTopic({
        siteId: stream.device.siteId,
        deviceId: stream.device.deviceId,
      });
      try {
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < stream.payloads.length && options.shouldStop?.() !== true) {
            const index = next++;
            const started = performance.now();
            await Promise.race([
              client.publishAsync(topic, stream.payloads[index] ?? "", { qos: 1 }),
              closed,
            ]);
            options.onAck?.({
              deviceId: stream.device.deviceId,
              index,
              readings: stream.readingsPerMessage,
              latencyMs: performance.now() - started,
            });
          }
        };
        await Promise.all(Array.from({ length: options.window }, worker));
      } catch (error) {
        if (options.tolerateErrors !== true) throw error;
      } finally {
        client.end(true);
      }
    }),
  );
}
