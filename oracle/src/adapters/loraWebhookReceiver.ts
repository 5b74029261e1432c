import { timingSafeEqual } from "node:crypto";
import {
  LORA_COUNTER_MODULUS_MILLIWATT_HOURS,
  type LoraUplink,
  ProtocolFrameError,
  loraUplinkToReadings,
  parseChirpstackUplinkEvent,
  parseTtnUplinkWebhook,
} from "@energy-intelligence/sdk/protocols/index";
import type { AdapterHealth } from "./adapterHealth.ts";
import type { AdapterReadingSink } from "./adapterReadingSink.ts";
import { describeAdapterError } from "./describeAdapterError.ts";

/** What a webhook post led to; the route turns it into an HTTP answer. */
export type LoraWebhookOutcome =
  | { status: "unauthorized"; reason: "missing-secret" | "bad-secret" }
  | { status: "malformed"; detail: string }
  | { status: "ignored"; reason: string }
  | { status: "stored"; storedReadings: number }
  | { status: "duplicate" }
  | { status: "rejected"; reason: string; detail: string }
  | { status: "unavailable"; reason: string; detail: string };

/** Radio metadata of a device's last uplink, for diagnosis (the readings table has no room for it). */
export interface LoraRadioStatus {
  devEui: string;
  fCnt: number;
  rssi: number | undefined;
  snr: number | undefined;
  gatewayIds: string[];
  receivedAtMs: number;
}

/**
 * The gateway side of one network server's webhook (TTN v3 or ChirpStack
 * v4): checks the shared secret header in constant time, parses the
 * network server's own JSON, decodes the payload and stores the readings
 * of the DevEUI's registered device. Frame counters dedupe retried posts
 * and reveal lost uplinks (`adapter_uplink_gap`); counters modulo 2^32 Wh
 * are unwrapped by the sink. Problems with one device's payload (unknown
 * DevEUI, wrong fPort or length) are answered 200 with the reason, because
 * both network servers disable or back off a webhook that keeps failing,
 * which would cut off every other device too.
 */
export class LoraWebhookReceiver {
  readonly networkServer: "ttn" | "chirpstack";
  readonly authHeader: string;
  readonly #secret: Buffer;
  readonly #name: string;
  readonly #sinks: Map<string, AdapterReadingSink>;
  readonly #health: AdapterHealth;
  readonly #lastFCnt = new Map<string, number>();
  readonly radio = new Map<string, LoraRadioStatus>();
  /** Registered device id by DevEUI. */
  readonly deviceIdsByDevEui: ReadonlyMap<string, `0x${string}`>;

  constructor(options: {
    name: string;
    networkServer: "ttn" | "chirpstack";
    authHeader: string;
    secret: string;
    /** By lower-case DevEUI. */
    sinks: Map<string, AdapterReadingSink>;
    health: AdapterHealth;
  }) {
    this.#name = options.name;
    this.networkServer = options.networkServer;
    this.authHeader = options.authHeader;
    this.#secret = Buffer.from(options.secret, "utf8");
    this.#sinks = options.sinks;
    this.deviceIdsByDevEui = new Map(
      [...options.sinks].map(([devEui, sink]) => [devEui, sink.deviceId] as const),
    );
    this.#health = options.health;
  }

  static readonly COUNTER_MODULUS = LORA_COUNTER_MODULUS_MILLIWATT_HOURS;

  authorize(header: string | string[] | undefined): LoraWebhookOutcome | undefined {
    if (typeof header !== "string" || header === "")
      return { status: "unauthorized", reason: "missing-secret" };
    const given = Buffer.from(header, "utf8");
    if (given.length !== this.#secret.length || !timingSafeEqual(given, this.#secret))
      return { status: "unauthorized", reason: "bad-secret" };
    return undefined;
  }

  async receive(body: unknown, event: string | undefined): Promise<LoraWebhookOutcome> {
    if (this.networkServer === "chirpstack" && event !== "up")
      return { status: "ignored", reason: `event ${event ?? "(none)"} is not an uplink` };
    if (
      this.networkServer === "ttn" &&
      (typeof body !== "object" || body === null || !("uplink_message" in body))
    ) {
      // TTN posts joins, acks, location updates… to the same webhook when enabled.
      return { status: "ignored", reason: "not an uplink_message" };
    }
    let uplink: LoraUplink;
    try {
      uplink =
        this.networkServer === "ttn"
          ? parseTtnUplinkWebhook(body)
          : parseChirpstackUplinkEvent(body);
    } catch (error) {
      if (error instanceof ProtocolFrameError)
        return { status: "malformed", detail: error.message };
      throw error;
    }
    const sink = this.#sinks.get(uplink.devEui);
    if (sink === undefined) {
      this.#health.rejectedFrame(undefined, this.#name, "unknown-dev-eui", uplink.devEui);
      return { status: "ignored", reason: `DevEUI ${uplink.devEui} is not configured` };
    }
    const last = this.#lastFCnt.get(uplink.devEui);
    if (last === uplink.fCnt) return { status: "duplicate" };
    try {
      const readings = loraUplinkToReadings(uplink);
      const outcome = await sink.submit(readings);
      if (outcome.status === "rejected") {
        const busy =
          outcome.reason === "overloaded" ||
          outcome.reason === "store_unavailable" ||
          outcome.reason === "shutting_down";
        if (busy) return { status: "unavailable", reason: outcome.reason, detail: outcome.detail };
        this.#noteArrived(sink.deviceId, uplink.devEui, uplink.fCnt);
        this.#health.rejectedFrame(sink.deviceId, this.#name, outcome.reason, outcome.detail);
        return { status: "rejected", reason: outcome.reason, detail: outcome.detail };
      }
      this.#noteArrived(sink.deviceId, uplink.devEui, uplink.fCnt);
      this.radio.set(uplink.devEui, {
        devEui: uplink.devEui,
        fCnt: uplink.fCnt,
        ...uplink.radio,
        receivedAtMs: uplink.receivedAtMs,
      });
      if (outcome.status === "stale") return { status: "duplicate" };
      this.#health.succeeded(sink.deviceId, Date.now(), outcome.storedReadings);
      return { status: "stored", storedReadings: outcome.storedReadings };
    } catch (error) {
      const { reason, detail } = describeAdapterError(error);
      this.#noteArrived(sink.deviceId, uplink.devEui, uplink.fCnt);
      this.#health.rejectedFrame(sink.deviceId, this.#name, reason, detail);
      return { status: "rejected", reason, detail };
    }
  }

  /**
   * Remembers the frame counter of an uplink that reached the gateway (stored
   * or refused for its content), and records the counters skipped since the
   * last one: uplinks the network server never delivered. A lower counter
   * is a rejoin (counters restart at 0 with a new session), not a gap.
   */
  #noteArrived(deviceId: `0x${string}`, devEui: string, fCnt: number): void {
    const last = this.#lastFCnt.get(devEui);
    if (last !== undefined && fCnt > last + 1) {
      this.#health.uplinkGap(deviceId, {
        adapter: this.#name,
        devEui,
        fromFCnt: last + 1,
        toFCnt: fCnt - 1,
      });
    }
    this.#lastFCnt.set(devEui, fCnt);
  }
}
