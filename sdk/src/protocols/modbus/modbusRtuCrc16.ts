/**
 * The CRC-16 of a Modbus RTU frame (polynomial 0xA001 reflected, initial
 * 0xFFFF; Modbus over Serial Line V1.02 §6.2.2), over the unit id and PDU.
 * On the wire it follows the frame low byte first.
 *
 * @example
 * ```ts
 * modbusRtuCrc16(Uint8Array.of(0x02, 0x07)); // 0x1241: the frame is 02 07 41 12
 * ```
 */
export function modbusRtuCrc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
    }
  }
  return crc;
}

/** `frame` (unit id + PDU) with its CRC appended, low byte first: what goes on the RS-485 line. */
export function withModbusRtuCrc(frame: Uint8Array): Uint8Array {
  const crc = modbusRtuCrc16(frame);
  const out = new Uint8Array(frame.length + 2);
  out.set(frame);
  out[frame.length] = crc & 0xff;
  out[frame.length + 1] = crc >>> 8;
  return out;
}

/** Whether a received RTU frame's last two bytes are the CRC of the rest. */
export function hasValidModbusRtuCrc(frame: Uint8Array): boolean {
  if (frame.length < 4) return false;
  const body = frame.subarray(0, frame.length - 2);
  const crc = modbusRtuCrc16(body);
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >>> 8;
}
