import { ProtocolFrameError } from "./ProtocolFrameError.ts";
import type { DeviceProtocol } from "./ProtocolFrameError.ts";
import { modbusExceptionError } from "../modbus/modbusExceptionError.ts";

/**
 * Classifies what a polling client threw, without importing the client: a
 * timeout (net-snmp's RequestTimedOutError, modbus-serial's `errno
 * "ETIMEDOUT"`, fetch's AbortSignal.timeout `TimeoutError`) becomes reason
 * `timeout`, a Modbus exception response (`modbusCode`) reason
 * `modbus-exception`. Adapters count both per device and mark it degraded;
 * anything else (connection refused, a bug) is not a frame problem and comes
 * back undefined for the caller to handle as it is.
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
  const fields = error as { name?: unknown; errno?: unknown; code?: unknown; modbusCode?: unknown };
  if (typeof fields.modbusCode === "number") {
    return modbusExceptionError(fields.modbusCode, path, error);
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
