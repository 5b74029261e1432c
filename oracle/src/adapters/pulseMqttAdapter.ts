import type { Logger } from "pino";
import { z } from "zod";
import {
  ProtocolFrameError,
  type ProtocolReading,
  accumulatePulseCount,
} from "@energy-intelligence/sdk/protocols/index";
import type { AdapterHealth } from "./adapterHealth.ts";
import type { AdapterReadingSink } from "./adapterReadingSink.ts";
import { submitPushedFrame } from "./submitPushedFrame.ts";
import { MqttSubscription } from "./mqttSubscription.ts";
import type { PulseCounterStateFile } from "./pulseCounterStateFile.ts";

export interface PulseInput {
  channel: number;
  topic: string;
  counter: string;
  pulsesPerKilowattHour: number;
}

const tasmotaSensorSchema = z.object({
  Time: z.string().optional(),
  COUNTER: z.record(z.string(), z.number().int().min(0)),
});

/** The cumulative count a pulse counter published, in the configured format. */
export function parsePulseCount(
  format: "tasmota" | "plain",
  counter: string,
  payload: string,
): bigint {
  if (format === "plain") {
    const text = payload.trim();
    if (!/^\d{1,19}$/u.test(text))
      throw new ProtocolFrameError(
        "pulse",
        "bad-value",
        "payload",
        `${JSON.stringify(text.slice(0, 40))} is not a count`,
      );
    return BigInt(text);
  }
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new ProtocolFrameError("pulse", "malformed-json", "payload", "not JSON");
  }
  const parsed = tasmotaSensorSchema.safeParse(json);
  if (!parsed.success)
    throw new ProtocolFrameError("pulse", "missing-field", "COUNTER", "no COUNTER object");
  const count = parsed.data.COUNTER[counter];
  if (count === undefined)
    throw new ProtocolFrameError("pulse", "missing-field", `COUNTER.${counter}`, "counter absent");
  return BigInt(count);
}

/**
 * Reads S0 / dry-contact pulse counters that publish a cumulative count over
 * MQTT (Tasmota's `tele/<device>/SENSOR` `{"COUNTER":{"C1":n}}`, or a plain
 * decimal count). The count becomes cumulative energy with the meter
 * constant through accumulatePulseCount, its state kept in a file so no
 * pulse is lost across gateway restarts. A count that falls means the
 * counter restarted without saving (every pulse since is new); that is
 * surfaced as a counter reset event, while the energy counter keeps rising.
 */
export class PulseMqttAdapter {
  readonly #subscription: MqttSubscription;

  constructor(options: {
    name: string;
    mqttUrl: string;
    format: "tasmota" | "plain";
    inputs: readonly PulseInput[];
    states: PulseCounterStateFile;
    sink: AdapterReadingSink;
    health: AdapterHealth;
    logger: Logger;
  }) {
    const { name, sink, health, states, format } = options;
    const byTopic = new Map<string, PulseInput[]>();
    for (const input of options.inputs)
      byTopic.set(input.topic, [...(byTopic.get(input.topic) ?? []), input]);
    const handle = async (
      input: PulseInput,
      payload: string,
      receivedAtMs: number,
    ): Promise<void> => {
      const key = `${input.channel}`;
      let commitState: (() => void) | undefined;
      await submitPushedFrame(
        { name, sink, health },
        receivedAtMs,
        () => {
          const rawCount = parsePulseCount(format, input.counter, payload);
          const state = states.get(key);
          const restarted = state !== undefined && rawCount < state.lastRawCount;
          const next = accumulatePulseCount({
            state,
            rawCount,
            pulsesPerKilowattHour: input.pulsesPerKilowattHour,
            restarted,
          });
          if (restarted) {
            health.counterReset(sink.deviceId, {
              adapter: name,
              channel: input.channel,
              kind: "pulse-counter-restarted",
              previousRawCount: state.lastRawCount.toString(),
              rawCount: rawCount.toString(),
            });
          }
          const reading: ProtocolReading = {
            deviceId: name,
            channel: input.channel,
            timestampMs: receivedAtMs,
            energyImportedMilliWattHours: next.energyMilliWattHours,
            energyExportedMilliWattHours: 0n,
            quality: "measured",
            authentication: "serial",
          };
          commitState = () => {
            states.set(key, next.state);
          };
          return [reading];
        },
        () => commitState?.(),
      );
    };
    // One input at a time keeps each input's state updates in arrival order.
    let tail: Promise<void> = Promise.resolve();
    this.#subscription = new MqttSubscription({
      url: options.mqttUrl,
      clientId: `ei-gateway-${name}`,
      topics: [...byTopic.keys()],
      logger: options.logger,
      onMessage: (topic, payload) => {
        const receivedAtMs = Date.now();
        for (const input of byTopic.get(topic) ?? []) {
          tail = tail.then(() => handle(input, payload.toString("utf8"), receivedAtMs));
        }
      },
    });
  }

  start(): Promise<void> {
    return this.#subscription.start();
  }

  close(): Promise<void> {
    return this.#subscription.close();
  }
}
