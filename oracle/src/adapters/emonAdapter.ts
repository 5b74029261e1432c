import type { Logger } from "pino";
import {
  type EmonChannelMapping,
  type EmonFrame,
  emonFrameToReadings,
  parseEmonMqttMessage,
  parseEmonSerialLine,
} from "@energy-intelligence/sdk/protocols/index";
import type { AdapterHealth } from "./adapterHealth.ts";
import type { AdapterReadingSink } from "./adapterReadingSink.ts";
import { ByteStreamSource, type ByteStreamEndpoint } from "./byteStreamSource.ts";
import { describeAdapterError } from "./describeAdapterError.ts";
import { submitPushedFrame } from "./submitPushedFrame.ts";
import { MqttSubscription } from "./mqttSubscription.ts";

export type EmonSource =
  ByteStreamEndpoint | { transport: "mqtt"; node: string; mqttUrl: string; frameQuietMs: number };

/** Longest partial line held while waiting for its newline. */
const MAX_PENDING_LINE = 4096;

/**
 * Reads an OpenEnergyMonitor emonTx v4 / emonPi: the serial `key:value`
 * lines (directly or through a TCP bridge), or emonhub's MQTT values
 * `emon/<node>/<key>`, which arrive one key per message and are gathered
 * into a frame until `frameQuietMs` passes without a new key (or a key
 * repeats, which starts the next frame). Each frame becomes one reading per
 * mapped CT, `estimated` where no voltage reference measures its phase.
 */
export class EmonAdapter {
  readonly #start: () => Promise<void>;
  readonly #close: () => Promise<void>;

  constructor(options: {
    name: string;
    source: EmonSource;
    channels: readonly EmonChannelMapping[];
    voltageReference: boolean;
    sink: AdapterReadingSink;
    health: AdapterHealth;
    logger: Logger;
  }) {
    const { name, sink, health, logger } = options;
    const handle = (read: () => EmonFrame, receivedAtMs: number): Promise<void> =>
      submitPushedFrame({ name, sink, health }, receivedAtMs, () =>
        emonFrameToReadings(read(), {
          deviceId: name,
          channels: options.channels,
          voltageReference: options.voltageReference,
          timestampMs: receivedAtMs,
        }),
      );

    const source = options.source;
    if (source.transport === "mqtt") {
      let pending: Record<string, string> = {};
      let timer: NodeJS.Timeout | undefined;
      const flush = (): void => {
        clearTimeout(timer);
        timer = undefined;
        const values = pending;
        pending = {};
        if (Object.keys(values).length > 0)
          void handle(() => ({ node: source.node, values }), Date.now());
      };
      const subscription = new MqttSubscription({
        url: source.mqttUrl,
        clientId: `ei-gateway-${name}`,
        topics: [`emon/${source.node}/+`],
        logger,
        onMessage: (topic, payload) => {
          try {
            const { key, value } = parseEmonMqttMessage(topic, payload.toString("utf8"));
            if (Object.hasOwn(pending, key)) flush();
            pending[key] = value;
            clearTimeout(timer);
            timer = setTimeout(flush, source.frameQuietMs);
          } catch (error) {
            const { reason, detail } = describeAdapterError(error);
            health.rejectedFrame(sink.deviceId, name, reason, detail);
          }
        },
      });
      this.#start = () => subscription.start();
      this.#close = async () => {
        clearTimeout(timer);
        await subscription.close();
      };
      return;
    }

    let partial = "";
    const stream = new ByteStreamSource({
      endpoint: source,
      logger,
      onOpen: () => {
        partial = "";
      },
      onData: (chunk) => {
        const receivedAtMs = Date.now();
        partial += chunk.toString("latin1");
        const lines = partial.split("\n");
        partial = lines.pop() ?? "";
        if (partial.length > MAX_PENDING_LINE) {
          health.rejectedFrame(sink.deviceId, name, "wrong-length", "a line without an end");
          partial = "";
        }
        for (const line of lines) {
          if (line.trim() === "") continue;
          void handle(() => parseEmonSerialLine(line), receivedAtMs);
        }
      },
    });
    this.#start = () => {
      stream.start();
      return Promise.resolve();
    };
    this.#close = () => stream.close();
  }

  start(): Promise<void> {
    return this.#start();
  }

  close(): Promise<void> {
    return this.#close();
  }
}
