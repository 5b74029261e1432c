import { readFileSync } from "node:fs";
import mqtt from "mqtt";
import type { Logger } from "pino";
import { parseDeviceTopic } from "@energy-intelligence/sdk";
import type { IngestPipeline } from "../ingest/ingestPipeline.ts";

export interface ExternalSubscriber {
  isUp(): boolean;
  close(): Promise<void>;
}

/**
 * Production: subscribes to `ei/v1/+/+/readings` on an external broker
 * (Mosquitto, EMQX) with a persistent session (clean: false), so messages
 * published while the gateway is down wait at the broker. mqtt.js's
 * `customHandleAcks` holds each PUBACK until the message is committed.
 *
 * mqtt.js handles one incoming publish at a time, so this path commits one
 * message per transaction; run more subscribers (MQTT 5 shared subscriptions)
 * where one site needs more than a few hundred messages per second.
 */
export async function startExternalSubscriber(options: {
  url: string;
  clientId: string;
  username?: string | undefined;
  passwordFile?: string | undefined;
  pipeline: IngestPipeline;
  logger: Logger;
}): Promise<ExternalSubscriber> {
  const { pipeline, logger } = options;
  const password =
    options.passwordFile === undefined
      ? undefined
      : readFileSync(options.passwordFile, "utf8").trim();
  const client = await mqtt.connectAsync(options.url, {
    clientId: options.clientId,
    clean: false,
    username: options.username,
    password,
    reconnectPeriod: 1000,
    customHandleAcks: (topic, message, _packet, done) => {
      const ids = parseDeviceTopic(topic);
      if (ids === undefined) {
        done(0);
        return;
      }
      pipeline.ingest(message, { transport: "mqtt", topic: ids, waitForCapacity: true }).then(
        () => {
          done(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, "mqtt ingest failed");
          done(error instanceof Error ? error : new Error(String(error)));
        },
      );
    },
  });
  await client.subscribeAsync("ei/v1/+/+/readings", { qos: 1 });
  client.on("error", (error) => {
    logger.warn({ err: error }, "external mqtt broker error");
  });
  return {
    isUp: () => client.connected,
    close: async () => {
      await client.endAsync();
    },
  };
}
