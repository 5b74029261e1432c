import mqtt, { type MqttClient } from "mqtt";
import type { Logger } from "pino";

/**
 * A subscription for adapters that read third-party MQTT topics (emonhub,
 * Tasmota pulse counters) from the gateway's broker or another one. mqtt.js
 * reconnects by itself and, with a persistent session (`clean: false`) and
 * QoS 1, the broker keeps what arrived while the gateway was away.
 */
export class MqttSubscription {
  readonly #options: {
    url: string;
    clientId: string;
    topics: readonly string[];
    logger: Logger;
    onMessage: (topic: string, payload: Buffer) => void;
  };
  #client: MqttClient | undefined;

  constructor(options: {
    url: string;
    clientId: string;
    topics: readonly string[];
    logger: Logger;
    onMessage: (topic: string, payload: Buffer) => void;
  }) {
    this.#options = options;
  }

  /**
   * Connects and subscribes without waiting: a broker that is down must not
   * hold up the gateway's start; mqtt.js keeps reconnecting (and, with the
   * persistent session, resubscribing) in the background.
   */
  start(): Promise<void> {
    const { url, clientId, topics, logger, onMessage } = this.#options;
    const client = mqtt.connect(url, { clientId, clean: false, reconnectPeriod: 1000 });
    this.#client = client;
    client.on("connect", (connack) => {
      if (connack.sessionPresent) return;
      client.subscribe([...topics], { qos: 1 }, (error) => {
        if (error instanceof Error)
          logger.warn({ err: error, url, topics }, "adapter mqtt subscribe failed");
      });
    });
    client.on("message", (topic, payload) => {
      onMessage(topic, payload);
    });
    client.on("error", (error) => {
      logger.info({ err: error, url, clientId }, "adapter mqtt error");
    });
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.#client?.endAsync();
  }
}
