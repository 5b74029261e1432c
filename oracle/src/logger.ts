import { type DestinationStream, type Logger, pino } from "pino";

/**
 * Paths pino replaces with "[redacted]": key material and credentials must never
 * reach a log, even when a whole config or device record is logged by mistake.
 */
export const REDACTED_LOG_PATHS = [
  "oracleKey",
  "*.oracleKey",
  "privateKey",
  "*.privateKey",
  "secretKey",
  "*.secretKey",
  "hmacSecret",
  "*.hmacSecret",
  "*.*.hmacSecret",
  "password",
  "*.password",
  "*.*.password",
  "EI_ORACLE_KEY",
  "*.EI_ORACLE_KEY",
  "req.headers.authorization",
];

/**
 * The gateway's structured logger (JSON lines).
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: "info" });
 * ```
 */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "ei-gateway" },
      redact: { paths: REDACTED_LOG_PATHS, censor: "[redacted]" },
    },
    options.destination,
  );
}
