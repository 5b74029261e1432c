import { ProtocolFrameError } from "@energy-intelligence/sdk/protocols/index";

/**
 * A reason code and a one-line detail for whatever a device client threw:
 * the parser's own reason for a ProtocolFrameError (bad-crc, timeout,
 * modbus-exception…), `timeout` for an aborted poll, `connection-failed` for
 * a socket error (refused, reset, unreachable), else `error`.
 */
export function describeAdapterError(error: unknown): { reason: string; detail: string } {
  if (error instanceof ProtocolFrameError) return { reason: error.reason, detail: error.message };
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError")
      return { reason: "timeout", detail: error.message };
    const code = (error as NodeJS.ErrnoException).code;
    if (
      typeof code === "string" &&
      /^(?:ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EPIPE|ETIMEDOUT|ENOENT|EACCES)$/u.test(
        code,
      )
    )
      return {
        reason: code === "ETIMEDOUT" ? "timeout" : "connection-failed",
        detail: `${code}: ${error.message}`,
      };
    return { reason: "error", detail: error.message };
  }
  return { reason: "error", detail: String(error) };
}
