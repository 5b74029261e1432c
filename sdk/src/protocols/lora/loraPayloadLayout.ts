/**
 * The Energy-Intelligence LoRaWAN uplink payload, described as data. The
 * TypeScript codec (encodeLoraPayload/decodeLoraPayload) and the generated
 * TTN v3 payload formatter both interpret this one description, so they
 * cannot drift apart. Documented in docs/formats.md, "LoRaWAN payload".
 *
 * Counters are absolute (Wh modulo 2^32, big-endian), never deltas: a lost
 * uplink loses no energy, the next one carries the total.
 */
export const LORA_UPLINK_FPORT = 10;
export const LORA_DOWNLINK_FPORT = 11;

export type LoraFieldType = "u8" | "u16" | "s16" | "u32";

export interface LoraField {
  name: string;
  type: LoraFieldType;
}

export interface LoraFrameLayout {
  version: number;
  /** Fields after the version byte, before the channels. */
  header: readonly LoraField[];
  /** Each channel's fields; a version without `channel` describes channel 0. */
  channel: readonly LoraField[];
  /** Where the channel count comes from: a header field, or fixed. */
  channelCount: { field: string } | { fixed: number };
  maxChannels: number;
}

const counters: readonly LoraField[] = [
  { name: "energyImportedWh", type: "u32" },
  { name: "energyExportedWh", type: "u32" },
  // Power in 10 W steps: ±327 kW fits a signed 16-bit field.
  { name: "powerDecawatts", type: "s16" },
];

export const LORA_FRAME_LAYOUTS: readonly LoraFrameLayout[] = [
  // 1 + 10 = 11 bytes: the US915 DR0 maximum (SF10, 125 kHz).
  { version: 1, header: [], channel: counters, channelCount: { fixed: 1 }, maxChannels: 1 },
  // 1 + 3 + 4 × 11 = 48 bytes, under the EU868 DR0 maximum of 51 (SF12).
  {
    version: 2,
    header: [
      // Seconds between measurement and transmission: a store-and-forward
      // resend of a missed reading carries its real time.
      { name: "ageSeconds", type: "u16" },
      { name: "channelCount", type: "u8" },
    ],
    channel: [{ name: "channel", type: "u8" }, ...counters],
    channelCount: { field: "channelCount" },
    maxChannels: 4,
  },
];

export const LORA_FIELD_BYTES: Readonly<Record<LoraFieldType, number>> = {
  u8: 1,
  u16: 2,
  s16: 2,
  u32: 4,
};

/** Downlink (fPort 11), version 1: set the uplink interval. 3 bytes. */
export const LORA_DOWNLINK_LAYOUT = {
  version: 1,
  fields: [{ name: "intervalSeconds", type: "u16" }] as readonly LoraField[],
  /** Below a minute a device on SF12 would break the EU868 1 % duty cycle. */
  minIntervalSeconds: 60,
} as const;
