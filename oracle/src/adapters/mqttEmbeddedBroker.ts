import { type Server, createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { Aedes } from "aedes";
import type { Logger } from "pino";
import { parseDeviceTopic } from "@energy-intelligence/sdk";
import type { IngestPipeline } from "../ingest/ingestPipeline.ts";

export interface EmbeddedBroker {
  url: string;
  port: number;
  isUp(): boolean;
  close(): Promise<void>;
}

/**
 * The in-process MQTT broker (aedes) the gateway runs by default, bound to
 * loopback unless told otherwise.
 *
 * Durability hinges on one hook: aedes calls `authorizePublish` before it
 * sends a QoS 1 PUBACK, and sends the PUBACK only when the callback runs. The
 * message is therefore committed inside the hook, and the callback runs after
 * the commit. A refused message is called back without an error too: an error
 * would make aedes drop the client's connection, and MQTT 3.1.1 has no negative
 * acknowledgement, so the PUBACK just means "processed" and the refusal is
 * logged, counted and published to `ei/v1/<site>/<device>/rejections`.
 *
 * While a publish waits for room in the ingest queue, aedes does not read more
 * of that client's packets, so TCP flow control holds the device back.
 *
 * Readings topics are ingest-only: they are not forwarded to subscribers
 * (dashboards read the API), so nothing refused ever leaves the broker.
 */
export async function startEmbeddedBroker(options: {
  host: string;
  port: number;
  pipeline: IngestPipeline;
  logger: Logger;
}): Promise<EmbeddedBroker> {
  const { pipeline, logger } = options;
  const broker = await Aedes.createBroker({ id: "ei-gateway" });
  broker.authorizePublish = (client, packet, callback) => {
    if (client === null) {
      callback(null);
      return;
    }
    if (packet.topic.startsWith("$SYS")) {
      callback(new Error("$SYS topics are reserved"));
      return;
    }
    const topic = parseDeviceTopic(packet.topic);
    if (topic === undefined) {
      if (packet.topic.startsWith("ei/v1/") && packet.topic.endsWith("/readings")) {
        // Looks like a readings topic but the ids are malformed: refuse, keep the client.
        void pipeline
          .ingest(packet.payload, {
            transport: "mqtt",
            topic: { siteId: "", deviceId: "" },
            waitForCapacity: true,
          })
          .finally(() => {
            callback(null);
          });
        return;
      }
      callback(null);
      return;
    }
    pipeline.ingest(packet.payload, { transport: "mqtt", topic, waitForCapacity: true }).then(
      (result) => {
        if (!result.accepted) {
          broker.publish(
            {
              cmd: "publish",
              topic: `ei/v1/${topic.siteId}/${topic.deviceId}/rejections`,
              payload: Buffer.from(
                JSON.stringify({ reason: result.reason, detail: result.detail }),
              ),
              qos: 0,
              retain: false,
              dup: false,
            },
            () => undefined,
          );
        }
        callback(null);
      },
      (error: unknown) => {
        // ingest() reports refusals as results; reaching here is a bug. Do not
        // acknowledge: drop the connection so the device resends later.
        logger.error({ err: error }, "mqtt ingest failed");
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };
  broker.authorizeForward = (_client, packet) =>
    parseDeviceTopic(packet.topic) === undefined ? packet : null;
  broker.on("clientError", (client, error) => {
    logger.info({ clientId: client.id, err: error }, "mqtt client error");
  });

  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let up = true;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `mqtt://${host}:${port}`,
    port,
    isUp: () => up && server.listening,
    close: async () => {
      up = false;
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        // aedes.close disconnects every client; in-flight publishes still finish
        // their commit, their PUBACK is lost and the device resends: a duplicate,
        // acknowledged again without storing twice.
        broker.close(() => undefined);
      });
    },
  };
}
