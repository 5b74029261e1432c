import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";

/** Exception codes of the Modbus Application Protocol Specification V1.1b3, section 7. */
const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: "illegal function",
  2: "illegal data address",
  3: "illegal data value",
  4: "server device failure",
  5: "acknowledge",
  6: "server device busy",
  8: "memory parity error",
  10: "gateway path unavailable",
  11: "gateway target device failed to respond",
};

/**
 * The ProtocolFrameError for a Modbus exception response (function code
 * with 0x80 set, then the exception code). Codes 2 and 3 on a read almost
 * always mean the register map does not fit the meter (wrong model or
 * firmware), 10 and 11 a TCP→RTU gateway that cannot reach the unit id.
 *
 * @example
 * ```ts
 * throw modbusExceptionError(2, "unit 1 fc4 @72+2");
 * ```
 */
export function modbusExceptionError(
  exceptionCode: number,
  path: string,
  cause?: unknown,
): ProtocolFrameError {
  const name = EXCEPTION_NAMES[exceptionCode] ?? "unknown exception";
  const hints =
    exceptionCode === 2 || exceptionCode === 3
      ? ["The register map may not match this meter's model or firmware."]
      : exceptionCode === 10 || exceptionCode === 11
        ? ["Check the gateway's serial wiring and the unit id."]
        : [];
  return new ProtocolFrameError(
    "modbus",
    "modbus-exception",
    path,
    `exception ${exceptionCode} (${name})`,
    {
      hints,
      cause,
    },
  );
}
