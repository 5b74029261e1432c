import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { LoraRadioStatus } from "../../adapters/loraWebhookReceiver.ts";
import type { GatewayAdapters } from "../../adapters/startAdapters.ts";
import { jsonSchema } from "../schemas.ts";

export const adapterDeviceStatusSchema = z.object({
  adapter: z.string(),
  kind: z.string(),
  deviceId: z.string(),
  state: z.enum(["starting", "ok", "degraded"]),
  lastReadingAtMs: z.int().nullable(),
  gapSinceMs: z.int().nullable(),
  consecutiveFailures: z.int(),
  lastError: z.object({ reason: z.string(), detail: z.string(), atMs: z.int() }).nullable(),
  readingsStored: z.int(),
  framesRejected: z.int(),
  radio: z
    .object({
      devEui: z.string(),
      fCnt: z.int(),
      rssi: z.number().optional(),
      snr: z.number().optional(),
      gatewayIds: z.array(z.string()),
      receivedAtMs: z.int(),
    })
    .optional(),
});

/**
 * GET /v1/adapters: every adapter-fed device with its state (ok, degraded
 * with the gap's start, the last error's reason) and, for LoRaWAN devices,
 * the last uplink's radio metadata. The gaps themselves are events of the
 * device (/v1/devices/{id}/events: adapter_degraded, adapter_gap).
 */
export function adapterStatusRoutes(
  app: FastifyInstance,
  options: { adapters: GatewayAdapters },
): void {
  app.get(
    "/v1/adapters",
    {
      schema: {
        summary:
          "Adapter-fed devices (Modbus, SunSpec, SNMP, Redfish, P1, pulse, emon, LoRaWAN) and their state",
        tags: ["devices"],
        response: {
          200: jsonSchema(z.object({ devices: z.array(adapterDeviceStatusSchema) })),
        },
      },
    },
    () => {
      const byDevice = new Map<string, LoraRadioStatus>();
      for (const receiver of options.adapters.lora.values()) {
        for (const [devEui, deviceId] of receiver.deviceIdsByDevEui) {
          const radio = receiver.radio.get(devEui);
          if (radio !== undefined) byDevice.set(deviceId, radio);
        }
      }
      return {
        devices: options.adapters.health.list().map((status) => {
          const radio = byDevice.get(status.deviceId);
          return radio === undefined ? status : { ...status, radio };
        }),
      };
    },
  );
}
