import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";

const TOPIC = /^emon\/([A-Za-z0-9_-]{1,64})\/([A-Za-z][A-Za-z0-9_]{0,31})$/u;
const NUMBER = /^-?\d{1,15}(?:\.\d{1,9})?$/u;

/** One value emonhub published. */
export interface EmonMqttValue {
  node: string;
  key: string;
  /** Decimal text as published. */
  value: string;
}

/**
 * Parses one message of emonhub's MQTT interfacer in its default "node/key"
 * layout: topic `emon/<node>/<key>` (`emon/emontx4/P1`), payload the value
 * as plain decimal text (`412.5`). A frame is the set of keys of one node
 * published together; grouping them is the subscriber's job.
 *
 * @throws {ProtocolFrameError} bad-header (topic not `emon/<node>/<key>`), bad-value (payload not a number).
 * @example
 * ```ts
 * parseEmonMqttMessage("emon/emontx4/E1", "10500"); // { node: "emontx4", key: "E1", value: "10500" }
 * ```
 */
export function parseEmonMqttMessage(topic: string, payload: string): EmonMqttValue {
  const match = TOPIC.exec(topic);
  if (match === null) {
    throw new ProtocolFrameError(
      "emon",
      "bad-header",
      "topic",
      `${JSON.stringify(topic.slice(0, 80))} is not emon/<node>/<key>`,
    );
  }
  const value = payload.trim();
  if (!NUMBER.test(value)) {
    throw new ProtocolFrameError(
      "emon",
      "bad-value",
      topic,
      `${JSON.stringify(value.slice(0, 40))} is not a decimal number`,
    );
  }
  return { node: match[1] ?? "", key: match[2] ?? "", value };
}
