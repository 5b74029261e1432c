/**
 * CRC-16/ARC (polynomial 0x8005 reflected, i.e. 0xA001; init 0; no final
 * xor), the checksum DSMR 4.x/5.0 and e-MUCS put after the `!` of a P1
 * telegram, computed over every byte from `/` through `!` inclusive.
 *
 * Takes a latin1 string (one char per byte) or bytes, because telegrams are
 * ASCII and the stream splitter keeps them as latin1 text so that character
 * offsets are byte offsets.
 *
 * @example
 * ```ts
 * crc16Arc("123456789"); // 0xbb3d, the catalogue check value
 * ```
 */
export function crc16Arc(data: string | Uint8Array): number {
  let crc = 0;
  const length = data.length;
  for (let index = 0; index < length; index += 1) {
    const byte = typeof data === "string" ? data.charCodeAt(index) & 0xff : (data[index] ?? 0);
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    }
  }
  return crc;
}
