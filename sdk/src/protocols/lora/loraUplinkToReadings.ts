import type { ProtocolReading } from "../shared/ProtocolReading.ts";
import { decodeLoraPayload } from "./decodeLoraPayload.ts";
import type { LoraUplink } from "./types.ts";

/** LoRa counters wrap at 2^32 Wh; ingest's rollover detection needs the modulus. */
export const LORA_COUNTER_MODULUS_MILLIWATT_HOURS = 2n ** 32n * 1000n;

/**
 * Decodes an uplink's payload and returns one reading per channel: the
 * DevEUI as device id, the measurement time (arrival minus the payload's
 * age), counters in mWh (still modulo 2^32 Wh: see
 * LORA_COUNTER_MODULUS_MILLIWATT_HOURS), authentication `network-server`.
 *
 * @throws {ProtocolFrameError} as decodeLoraPayload.
 * @example
 * ```ts
 * const readings = loraUplinkToReadings(parseTtnUplinkWebhook(body));
 * ```
 */
export function loraUplinkToReadings(uplink: LoraUplink): ProtocolReading[] {
  const payload = decodeLoraPayload(uplink.payload, uplink.fPort);
  return payload.channels.map((channel) => ({
    deviceId: uplink.devEui,
    channel: channel.channel,
    timestampMs: uplink.receivedAtMs - payload.ageSeconds * 1000,
    energyImportedMilliWattHours: BigInt(channel.energyImportedWh) * 1000n,
    energyExportedMilliWattHours: BigInt(channel.energyExportedWh) * 1000n,
    powerMilliWatts: channel.powerDecawatts * 10_000,
    quality: "measured",
    authentication: "network-server",
  }));
}
