import { z } from "zod";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { decodeBase64 } from "../shared/decodeBase64.ts";
import { bestRadioValue } from "./bestRadioValue.ts";
import type { LoraUplink } from "./types.ts";

/** The fields of a ChirpStack v4 HTTP-integration `event=up` JSON body that the gateway uses. */
export const chirpstackUplinkEventSchema = z.object({
  time: z.string().refine((t) => !Number.isNaN(Date.parse(t)), "not an ISO 8601 time"),
  deviceInfo: z.object({
    devEui: z.string().regex(/^[0-9A-Fa-f]{16}$/),
    deviceName: z.string().optional(),
    applicationId: z.string().optional(),
  }),
  fCnt: z.number().int().min(0).max(0xffffffff).default(0),
  fPort: z.number().int().min(0).max(255).default(0),
  data: z
    .string()
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "not base64")
    .default(""),
  rxInfo: z
    .array(
      z.object({ gatewayId: z.string(), rssi: z.number().optional(), snr: z.number().optional() }),
    )
    .default([]),
});

/**
 * Parses the body ChirpStack v4's HTTP integration POSTs with `?event=up`
 * (JSON marshaler) into a network-neutral LoraUplink. Other events (join,
 * status, ack…) are for the route to ignore before calling this.
 *
 * @throws {ProtocolFrameError} malformed-json with the path of the first bad field.
 * @example
 * ```ts
 * if (query.event === "up") handle(parseChirpstackUplinkEvent(body));
 * ```
 */
export function parseChirpstackUplinkEvent(body: unknown): LoraUplink {
  const parsed = chirpstackUplinkEventSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProtocolFrameError(
      "chirpstack",
      "malformed-json",
      issue === undefined || issue.path.length === 0 ? "body" : issue.path.join("."),
      issue?.message ?? "invalid body",
    );
  }
  const event = parsed.data;
  return {
    networkServer: "chirpstack",
    devEui: event.deviceInfo.devEui.toLowerCase(),
    fCnt: event.fCnt,
    fPort: event.fPort,
    payload: decodeBase64(event.data),
    receivedAtMs: Date.parse(event.time),
    radio: {
      rssi: bestRadioValue(event.rxInfo.map((r) => r.rssi)),
      snr: bestRadioValue(event.rxInfo.map((r) => r.snr)),
      gatewayIds: event.rxInfo.map((r) => r.gatewayId),
    },
  };
}
