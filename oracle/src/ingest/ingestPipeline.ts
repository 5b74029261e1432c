import type { Logger } from "pino";
import { type DeviceMessage, deviceMessageSchema, isDeviceMessage } from "@energy-intelligence/sdk";
import type { DeviceDirectory } from "../auth/deviceDirectory.ts";
import { verifyMessageAuth } from "../auth/verifyMessageAuth.ts";
import type { GatewayMetrics } from "../metrics/gatewayMetrics.ts";
import type { GroupCommitter } from "./groupCommitter.ts";
import type { Transport, WriteOutcome } from "./ingestTypes.ts";
import { REJECTION_REASONS, type RejectionReason } from "./rejectionReasons.ts";

export interface IngestOptions {
  maxMessageBytes: number;
  /** How far ahead of the gateway's clock a reading's timestamp may be. */
  maxClockSkewMs: number;
}

export interface IngestContext {
  transport: Transport;
  /** The ids named by the MQTT topic, which must match the message. */
  topic?: { siteId: string; deviceId: string } | undefined;
  /** true: wait for room in a full queue (MQTT); false: refuse with `overloaded` (HTTP). */
  waitForCapacity: boolean;
}

export type IngestResult =
  | {
      accepted: true;
      status: "stored" | "duplicate";
      deviceId: string;
      messageId: number | null;
      storedReadings: number;
      duplicateReadings: number;
    }
  | { accepted: false; reason: RejectionReason; detail: string; deviceId: string | undefined };

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === "number" ? `${text}[${part}]` : `${text}.${String(part)}`),
    "$",
  );
}

/**
 * The transport-independent ingest path. A payload from MQTT, HTTP or an
 * adapter goes through the same checks in the same order, and is acknowledged
 * only after its transaction commits:
 *
 * size → JSON → shape (zod) → topic → device known and active → signature →
 * channels, sequence order, clock → queue (group commit) → dedupe, counters.
 *
 * Every refusal returns a reason code (never throws), is counted by reason and
 * logged; nothing of a refused message is stored.
 */
export class IngestPipeline {
  readonly #directory: DeviceDirectory;
  readonly #committer: GroupCommitter;
  readonly #metrics: GatewayMetrics;
  readonly #logger: Logger;
  readonly #options: IngestOptions;

  constructor(parameters: {
    directory: DeviceDirectory;
    committer: GroupCommitter;
    metrics: GatewayMetrics;
    logger: Logger;
    options: IngestOptions;
  }) {
    this.#directory = parameters.directory;
    this.#committer = parameters.committer;
    this.#metrics = parameters.metrics;
    this.#logger = parameters.logger;
    this.#options = parameters.options;
  }

  get maxMessageBytes(): number {
    return this.#options.maxMessageBytes;
  }

  async ingest(payload: Uint8Array | string, context: IngestContext): Promise<IngestResult> {
    const receivedAtMs = Date.now();
    const checked = this.#check(payload, context, receivedAtMs);
    if ("reason" in checked)
      return this.#reject(context, checked.reason, checked.detail, checked.deviceId);
    const { message, deviceRef } = checked;
    const pending = { deviceRef, transport: context.transport, receivedAtMs, message };
    if (this.#committer.closed)
      return this.#reject(context, "shutting_down", "the gateway is closing", message.deviceId);
    let outcome: WriteOutcome;
    try {
      const submitted = context.waitForCapacity
        ? this.#committer.submit(pending)
        : this.#committer.trySubmit(pending);
      if (submitted === undefined) {
        return this.#reject(context, "overloaded", "the ingest queue is full", message.deviceId);
      }
      outcome = await submitted;
    } catch (error) {
      this.#logger.error({ err: error, deviceId: message.deviceId }, "ingest commit failed");
      return this.#reject(
        context,
        "store_unavailable",
        "the store could not commit",
        message.deviceId,
      );
    }
    return this.#account(context, message, outcome);
  }

  #check(
    payload: Uint8Array | string,
    context: IngestContext,
    receivedAtMs: number,
  ):
    | { message: DeviceMessage; deviceRef: number }
    | { reason: RejectionReason; detail: string; deviceId?: string | undefined } {
    const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength;
    if (size > this.#options.maxMessageBytes) {
      return {
        reason: "message_too_large",
        detail: `${size} bytes, at most ${this.#options.maxMessageBytes}`,
      };
    }
    let value: unknown;
    try {
      value = JSON.parse(
        typeof payload === "string"
          ? payload
          : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString("utf8"),
      );
    } catch (error) {
      return {
        reason: "malformed_json",
        detail: error instanceof Error ? error.message : "not JSON",
      };
    }
    if (!isDeviceMessage(value)) {
      // The slow path, only for bad input: zod says exactly what is wrong.
      const result = deviceMessageSchema.safeParse(value);
      const issue = result.error?.issues[0];
      const path = issue === undefined ? "$" : formatPath(issue.path);
      const deviceId =
        typeof value === "object" &&
        value !== null &&
        "deviceId" in value &&
        typeof value.deviceId === "string"
          ? value.deviceId
          : undefined;
      const missingSignature = path === "$.auth" || path === "$.auth.signature";
      return {
        reason: missingSignature ? "missing_signature" : "invalid_message",
        detail: `${path}: ${issue?.message ?? "not a device message"}`,
        deviceId,
      };
    }
    const message = value;
    const { deviceId } = message;
    if (context.topic !== undefined && context.topic.deviceId !== deviceId) {
      return {
        reason: "topic_mismatch",
        detail: `topic names device ${context.topic.deviceId}`,
        deviceId,
      };
    }
    const device = this.#directory.get(deviceId);
    if (device === undefined)
      return { reason: "unknown_device", detail: `no device ${deviceId} is registered`, deviceId };
    if (device.record.status !== "active")
      return { reason: "revoked_device", detail: `device ${deviceId} is revoked`, deviceId };
    if (context.topic !== undefined && context.topic.siteId !== device.record.siteId) {
      return {
        reason: "topic_mismatch",
        detail: `device ${deviceId} belongs to site ${device.record.siteId}`,
        deviceId,
      };
    }
    const signed = "signature" in message.auth;
    // Devices sign; only in-process adapters may submit unsigned third-party readings.
    if (
      message.auth.scheme !== device.record.authScheme ||
      signed === (context.transport === "adapter")
    ) {
      return {
        reason: "wrong_auth_scheme",
        detail: `device ${deviceId} is registered as ${device.record.authScheme}, message says ${message.auth.scheme} via ${context.transport}`,
        deviceId,
      };
    }
    if (signed && !verifyMessageAuth(message, device)) {
      return {
        reason: "bad_signature",
        detail: `the ${message.auth.scheme} signature does not match the body`,
        deviceId,
      };
    }
    const latestAllowedMs = receivedAtMs + this.#options.maxClockSkewMs;
    if (message.sentAtMs > latestAllowedMs) {
      return {
        reason: "timestamp_in_future",
        detail: `sentAtMs ${message.sentAtMs} is ahead of the gateway by more than ${this.#options.maxClockSkewMs} ms`,
        deviceId,
      };
    }
    let previousSequence = -1;
    const { readings } = message;
    for (let index = 0; index < readings.length; index++) {
      const reading = readings[index];
      if (reading === undefined) continue;
      if (reading.channel >= device.record.channelCount) {
        return {
          reason: "unknown_channel",
          detail: `$.readings[${index}].channel ${reading.channel}: the device has ${device.record.channelCount} channel(s)`,
          deviceId,
        };
      }
      if (reading.sequence <= previousSequence) {
        return {
          reason: "sequence_not_increasing",
          detail: `$.readings[${index}].sequence ${reading.sequence} after ${previousSequence}`,
          deviceId,
        };
      }
      previousSequence = reading.sequence;
      if (reading.timestampMs > latestAllowedMs) {
        return {
          reason: "timestamp_in_future",
          detail: `$.readings[${index}].timestampMs ${reading.timestampMs} is ahead of the gateway by more than ${this.#options.maxClockSkewMs} ms`,
          deviceId,
        };
      }
    }
    this.#metrics.deviceClockDrift.set({ device_id: deviceId }, message.sentAtMs - receivedAtMs);
    return { message, deviceRef: device.record.deviceRef };
  }

  #account(context: IngestContext, message: DeviceMessage, outcome: WriteOutcome): IngestResult {
    const transport = context.transport;
    if (outcome.status === "rejected")
      return this.#reject(context, outcome.reason, outcome.detail, message.deviceId);
    if (outcome.status === "duplicate") {
      this.#metrics.messagesIngested.inc({ transport, status: "duplicate" });
      this.#metrics.readingsDuplicate.inc({ transport }, outcome.duplicateReadings);
      this.#logger.debug(
        { deviceId: message.deviceId, transport },
        "duplicate message acknowledged again",
      );
      return {
        accepted: true,
        status: "duplicate",
        deviceId: message.deviceId,
        messageId: null,
        storedReadings: 0,
        duplicateReadings: outcome.duplicateReadings,
      };
    }
    this.#metrics.messagesIngested.inc({ transport, status: "stored" });
    this.#metrics.readingsIngested.inc({ transport }, outcome.storedReadings);
    if (outcome.duplicateReadings > 0)
      this.#metrics.readingsDuplicate.inc({ transport }, outcome.duplicateReadings);
    for (const kind of outcome.events) this.#metrics.ingestEvents.inc({ kind });
    if (outcome.events.length > 0) {
      this.#logger.info(
        { deviceId: message.deviceId, events: outcome.events },
        "ingest events recorded",
      );
    }
    return {
      accepted: true,
      status: "stored",
      deviceId: message.deviceId,
      messageId: outcome.messageId,
      storedReadings: outcome.storedReadings,
      duplicateReadings: outcome.duplicateReadings,
    };
  }

  #reject(
    context: IngestContext,
    reason: RejectionReason,
    detail: string,
    deviceId: string | undefined,
  ): IngestResult {
    this.#metrics.messagesRejected.inc({ transport: context.transport, reason });
    if (reason === "replayed_sequence" || reason === "counter_backwards")
      this.#metrics.ingestEvents.inc({ kind: reason });
    const level = REJECTION_REASONS[reason].status >= 500 ? "warn" : "info";
    this.#logger[level](
      { reason, deviceId, transport: context.transport, detail },
      "message rejected",
    );
    return { accepted: false, reason, detail, deviceId };
  }
}
