import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { LORA_FIELD_BYTES, LORA_FRAME_LAYOUTS, LORA_UPLINK_FPORT } from "./loraPayloadLayout.ts";
import type { LoraField } from "./loraPayloadLayout.ts";
import type { LoraChannel, LoraPayload } from "./types.ts";

export type DecodeLoraPayloadErrorType = ProtocolFrameError;

function read(bytes: Uint8Array, offset: number, field: LoraField): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (field.type === "u8") return view.getUint8(offset);
  if (field.type === "u16") return view.getUint16(offset);
  if (field.type === "s16") return view.getInt16(offset);
  return view.getUint32(offset);
}

/**
 * Decodes an Energy-Intelligence LoRaWAN uplink (layout in
 * loraPayloadLayout.ts and docs/formats.md). The frame must arrive on fPort
 * 10 and have exactly the length its version and channel count imply.
 *
 * @throws {ProtocolFrameError} wrong-fport | wrong-length | unsupported-version | bad-value
 * @example
 * ```ts
 * decodeLoraPayload(Uint8Array.from([1, 0, 0, 0x30, 0x39, 0, 0, 0, 0, 0, 12]), 10);
 * // { version: 1, ageSeconds: 0, channels: [{ channel: 0, energyImportedWh: 12345, energyExportedWh: 0, powerDecawatts: 12 }] }
 * ```
 */
export function decodeLoraPayload(bytes: Uint8Array, fPort: number): LoraPayload {
  if (fPort !== LORA_UPLINK_FPORT) {
    throw new ProtocolFrameError(
      "lorawan",
      "wrong-fport",
      "fPort",
      `expected ${LORA_UPLINK_FPORT}, got ${fPort}`,
    );
  }
  if (bytes.length === 0)
    throw new ProtocolFrameError("lorawan", "wrong-length", "payload", "empty payload");
  const version = bytes[0];
  const layout = LORA_FRAME_LAYOUTS.find((l) => l.version === version);
  if (layout === undefined) {
    throw new ProtocolFrameError(
      "lorawan",
      "unsupported-version",
      "payload[0]",
      `version ${String(version)}`,
    );
  }
  const headerBytes = layout.header.reduce((n, f) => n + LORA_FIELD_BYTES[f.type], 1);
  if (bytes.length < headerBytes) {
    throw new ProtocolFrameError(
      "lorawan",
      "wrong-length",
      "payload",
      `${bytes.length} bytes, header needs ${headerBytes}`,
    );
  }
  const header: Record<string, number> = {};
  let offset = 1;
  for (const field of layout.header) {
    header[field.name] = read(bytes, offset, field);
    offset += LORA_FIELD_BYTES[field.type];
  }
  const count =
    "fixed" in layout.channelCount
      ? layout.channelCount.fixed
      : (header[layout.channelCount.field] ?? 0);
  if (count < 1 || count > layout.maxChannels) {
    throw new ProtocolFrameError(
      "lorawan",
      "bad-value",
      "channelCount",
      `${count} channels, 1–${layout.maxChannels} allowed`,
    );
  }
  const channelBytes = layout.channel.reduce((n, f) => n + LORA_FIELD_BYTES[f.type], 0);
  const expected = headerBytes + count * channelBytes;
  if (bytes.length !== expected) {
    throw new ProtocolFrameError(
      "lorawan",
      "wrong-length",
      "payload",
      `${bytes.length} bytes, version ${layout.version} with ${count} channel(s) is ${expected}`,
    );
  }
  const channels: LoraChannel[] = [];
  for (let index = 0; index < count; index += 1) {
    const values: Record<string, number> = { channel: 0 };
    for (const field of layout.channel) {
      values[field.name] = read(bytes, offset, field);
      offset += LORA_FIELD_BYTES[field.type];
    }
    channels.push({
      channel: values.channel ?? 0,
      energyImportedWh: values.energyImportedWh ?? 0,
      energyExportedWh: values.energyExportedWh ?? 0,
      powerDecawatts: values.powerDecawatts ?? 0,
    });
  }
  return { version: layout.version as 1 | 2, ageSeconds: header.ageSeconds ?? 0, channels };
}
