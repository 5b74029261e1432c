import { ProtocolFrameError } from "./ProtocolFrameError.ts";
import type { DeviceProtocol } from "./ProtocolFrameError.ts";
import { modbusExceptionError } from "../modbus/modbusExceptionError.ts";

/** net-snmp's ResponseInvalidCode values for USM failures (the package's own numbering). */
const NET_SNMP_COULD_NOT_DECRYPT = 4;
const NET_SNMP_AUTH_FAILURE = 5;

/**
 * Classifies what a polling client threw, without importing the client: a
 * timeout (net-snmp's RequestTimedOutError, modbus-serial's `errno
 * "ETIMEDOUT"`, fetch's AbortSignal.timeout `TimeoutError`) becomes reason
 * `timeout`, a Modbus exception response (`modbusCode`) reason
 * `modbus-exception`, an RTU response with a wrong CRC (modbus-serial's
 * "CRC error") reason `bad-crc`, an SNMPv3 USM refusal (net-snmp's ResponseInvalidError
 * with code EAuthFailure from the agent's usmStats report: wrong digest,
 * unknown user, unsupported security level; or ECouldNotDecrypt for a
 * response it cannot decrypt) reason `auth-failed`. Adapters count these per
 * device and mark it degraded; anything else (connection refused, a bug) is
 * not a frame problem and comes back undefined for the caller to handle as it
 * is.
 *
 * @example
 * ```ts
 * try { await session.get(oids) } catch (e) { throw pollErrorToFrameError("snmp", e, target) ?? e }
 * ```
 */
export function pollErrorToFrameError(
  protocol: DeviceProtocol,
  error: unknown,
  path: string,
): ProtocolFrameError | undefined {
  if (error instanceof ProtocolFrameError) return error;
  if (typeof error !== "object" || error === null) return undefined;
  const fields = error as {
    name?: unknown;
    errno?: unknown;
    code?: unknown;
    modbusCode?: unknown;
    message?: unknown;
  };
  if (typeof fields.modbusCode === "number") {
    return modbusExceptionError(fields.modbusCode, path, error);
  }
  if (protocol === "modbus" && fields.message === "CRC error") {
    return new ProtocolFrameError(protocol, "bad-crc", path, "the RTU response's CRC is wrong", {
      cause: error,
      hints: [
        "Noise or a wiring fault on the RS-485 line: check termination (120 Ω at both ends only), A/B polarity, the common ground, and that every unit uses the same baud rate and parity.",
      ],
    });
  }
  if (
    protocol === "snmp" &&
    fields.name === "ResponseInvalidError" &&
    (fields.code === NET_SNMP_AUTH_FAILURE || fields.code === NET_SNMP_COULD_NOT_DECRYPT)
  ) {
    const what = typeof fields.message === "string" ? fields.message : "refused";
    return new ProtocolFrameError(
      protocol,
      "auth-failed",
      path,
      `the agent refused the SNMPv3 credentials: ${what}`,
      {
        cause: error,
        hints: [
          "Check the v3 user name, the auth and privacy keys and protocols against the PDU's SNMPv3 settings.",
        ],
      },
    );
  }
  const timedOut =
    fields.name === "RequestTimedOutError" ||
    fields.name === "TimeoutError" ||
    fields.errno === "ETIMEDOUT" ||
    fields.code === "ETIMEDOUT" ||
    fields.code === "UND_ERR_HEADERS_TIMEOUT";
  if (!timedOut) return undefined;
  return new ProtocolFrameError(protocol, "timeout", path, "the device did not answer in time", {
    cause: error,
    hints: ["Check the device is powered and reachable; the gap is recorded, not filled."],
  });
}
