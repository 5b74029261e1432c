import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { modbusExceptionError } from "./modbusExceptionError.ts";

/**
 * Decodes the PDU of a read holding/input registers response (function
 * code, byte count, big-endian words), the part TCP (after the MBAP header)
 * and RTU (between unit id and CRC) share. An exception response becomes a
 * `modbus-exception` error; a length that disagrees with the request is
 * refused rather than padded, so a short read never decodes as zeros.
 *
 * @throws {ProtocolFrameError} modbus-exception, bad-header (wrong function code), wrong-length, truncated.
 * @example
 * ```ts
 * parseModbusReadResponse(Uint8Array.of(4, 4, 0x43, 0x66, 0x80, 0x00), { functionCode: 4, count: 2 });
 * ```
 */
export function parseModbusReadResponse(
  pdu: Uint8Array,
  request: { functionCode: 3 | 4; count: number },
): Uint16Array {
  const path = `fc${request.functionCode}`;
  if (pdu.length < 2) {
    throw new ProtocolFrameError(
      "modbus",
      "truncated",
      path,
      `${pdu.length} bytes, needs at least 2`,
    );
  }
  const functionCode = pdu[0] ?? 0;
  if (functionCode === (request.functionCode | 0x80)) {
    throw modbusExceptionError(pdu[1] ?? 0, path);
  }
  if (functionCode !== request.functionCode) {
    throw new ProtocolFrameError(
      "modbus",
      "bad-header",
      path,
      `response function code ${functionCode}`,
    );
  }
  const byteCount = pdu[1] ?? 0;
  if (byteCount !== request.count * 2) {
    throw new ProtocolFrameError(
      "modbus",
      "wrong-length",
      path,
      `byte count ${byteCount}, requested ${request.count} registers`,
    );
  }
  if (pdu.length !== 2 + byteCount) {
    throw new ProtocolFrameError(
      "modbus",
      pdu.length < 2 + byteCount ? "truncated" : "wrong-length",
      path,
      `${pdu.length} bytes for byte count ${byteCount}`,
    );
  }
  const words = new Uint16Array(request.count);
  for (let i = 0; i < request.count; i += 1) {
    words[i] = ((pdu[2 + 2 * i] ?? 0) << 8) | (pdu[3 + 2 * i] ?? 0);
  }
  return words;
}
