import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { LORA_FIELD_BYTES, LORA_FRAME_LAYOUTS } from "./loraPayloadLayout.ts";
import type { LoraFieldType } from "./loraPayloadLayout.ts";
import type { LoraPayload } from "./types.ts";

const RANGE: Readonly<Record<LoraFieldType, readonly [number, number]>> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  s16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
};

/**
 * Encodes an uplink payload as the device firmware does (the inverse of
 * decodeLoraPayload). Counters must already be reduced modulo 2^32 Wh;
 * out-of-range values are refused, not wrapped, so a caller bug shows.
 *
 * @throws {ProtocolFrameError} unsupported-version | bad-value
 * @example
 * ```ts
 * encodeLoraPayload({ version: 1, ageSeconds: 0,
 *   channels: [{ channel: 0, energyImportedWh: 12345, energyExportedWh: 0, powerDecawatts: 12 }] }); // 11 bytes
 * ```
 */
export function encodeLoraPayload(payload: LoraPayload): Uint8Array {
  const layout = LORA_FRAME_LAYOUTS.find((l) => l.version === payload.version);
  if (layout === undefined) {
    throw new ProtocolFrameError(
      "lorawan",
      "unsupported-version",
      "version",
      String(payload.version),
    );
  }
  const count = payload.channels.length;
  if (count < 1 || count > layout.maxChannels) {
    throw new ProtocolFrameError(
      "lorawan",
      "bad-value",
      "channels",
      `${count} channels, 1–${layout.maxChannels} allowed`,
    );
  }
  if (layout.version === 1 && (payload.ageSeconds !== 0 || payload.channels[0]?.channel !== 0)) {
    throw new ProtocolFrameError(
      "lorawan",
      "bad-value",
      "version",
      "version 1 carries channel 0 with age 0 only",
    );
  }
  const headerValues: Record<string, number> = {
    ageSeconds: payload.ageSeconds,
    channelCount: count,
  };
  const rows: { name: string; type: LoraFieldType; value: number; path: string }[] = [];
  rows.push({ name: "version", type: "u8", value: layout.version, path: "version" });
  for (const field of layout.header) {
    rows.push({ ...field, value: headerValues[field.name] ?? 0, path: field.name });
  }
  payload.channels.forEach((channel, index) => {
    for (const field of layout.channel) {
      const value = channel[field.name as keyof typeof channel];
      rows.push({ ...field, value, path: `channels[${index}].${field.name}` });
    }
  });
  const bytes = new Uint8Array(rows.reduce((n, r) => n + LORA_FIELD_BYTES[r.type], 0));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const row of rows) {
    const [min, max] = RANGE[row.type];
    if (!Number.isInteger(row.value) || row.value < min || row.value > max) {
      throw new ProtocolFrameError(
        "lorawan",
        "bad-value",
        row.path,
        `${row.value} is not a ${row.type}`,
      );
    }
    if (row.type === "u8") view.setUint8(offset, row.value);
    else if (row.type === "u16") view.setUint16(offset, row.value);
    else if (row.type === "s16") view.setInt16(offset, row.value);
    else view.setUint32(offset, row.value);
    offset += LORA_FIELD_BYTES[row.type];
  }
  return bytes;
}
