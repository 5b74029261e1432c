import { z } from "zod";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { decodeBase64 } from "../shared/decodeBase64.ts";
import { bestRadioValue } from "./bestRadioValue.ts";
import type { LoraUplink } from "./types.ts";

const devEui = z.string().regex(/^[0-9A-Fa-f]{16}$/);
const isoTime = z.string().refine((t) => !Number.isNaN(Date.parse(t)), "not an ISO 8601 time");
const base64 = z
  .string()
  .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "not base64");

/** The fields of a The Things Stack v3 `uplink_message` webhook body that the gateway uses. */
export const ttnUplinkWebhookSchema = z.object({
  end_device_ids: z.object({
    device_id: z.string(),
    dev_eui: devEui,
    application_ids: z.object({ application_id: z.string() }).optional(),
  }),
  received_at: isoTime,
  uplink_message: z.object({
    // f_port 0 (MAC commands only) is omitted from the JSON by protobuf rules.
    f_port: z.number().int().min(0).max(255).default(0),
    f_cnt: z.number().int().min(0).max(0xffffffff).default(0),
    frm_payload: base64.default(""),
    received_at: isoTime.optional(),
    rx_metadata: z
      .array(
        z.object({
          gateway_ids: z.object({ gateway_id: z.string(), eui: z.string().optional() }),
          rssi: z.number().optional(),
          channel_rssi: z.number().optional(),
          snr: z.number().optional(),
        }),
      )
      .default([]),
  }),
});

/**
 * Parses the JSON body of a TTN v3 (The Things Stack) uplink webhook into a
 * network-neutral LoraUplink: DevEUI, frame counter, fPort, the decrypted
 * FRMPayload (base64 in the body), arrival time and the best RSSI/SNR over the
 * gateways that heard it. Checking the webhook secret header is the HTTP
 * route's job, before this is called.
 *
 * @throws {ProtocolFrameError} malformed-json with the path of the first bad field.
 * @example
 * ```ts
 * const uplink = parseTtnUplinkWebhook(await request.json());
 * decodeLoraPayload(uplink.payload, uplink.fPort);
 * ```
 */
export function parseTtnUplinkWebhook(body: unknown): LoraUplink {
  const parsed = ttnUplinkWebhookSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProtocolFrameError(
      "ttn",
      "malformed-json",
      issue === undefined || issue.path.length === 0 ? "body" : issue.path.join("."),
      issue?.message ?? "invalid body",
    );
  }
  const { end_device_ids: ids, uplink_message: up } = parsed.data;
  return {
    networkServer: "ttn",
    devEui: ids.dev_eui.toLowerCase(),
    fCnt: up.f_cnt,
    fPort: up.f_port,
    payload: decodeBase64(up.frm_payload),
    receivedAtMs: Date.parse(up.received_at ?? parsed.data.received_at),
    radio: {
      rssi: bestRadioValue(up.rx_metadata.map((m) => m.rssi ?? m.channel_rssi)),
      snr: bestRadioValue(up.rx_metadata.map((m) => m.snr)),
      gatewayIds: up.rx_metadata.map((m) => m.gateway_ids.gateway_id),
    },
  };
}
