import { InvalidInputError } from "../errors/index.ts";
import { type DeviceMessage, deviceMessageSchema } from "./deviceMessageSchema.ts";
import { isDeviceMessage } from "./isDeviceMessage.ts";

export type ParseDeviceMessageErrorType = InvalidInputError;

/** Formats a zod issue path as `readings[3].sequence`. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = "$";
  for (const part of path) {
    text += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
  }
  return text;
}

/**
 * Validates a decoded JSON value as a device message (format
 * `ei.device-message.v1`). Checks shape and ranges only; the signature is
 * checked by {@link verifyDeviceMessage} against the device's registered key.
 *
 * @throws {InvalidInputError} naming the first offending field, e.g. `$.readings[3].sequence`.
 * @example
 * ```ts
 * const message = parseDeviceMessage(JSON.parse(payload));
 * message.readings[0].energyImportedMilliWattHours; // "123456789"
 * ```
 */
export function parseDeviceMessage(value: unknown): DeviceMessage {
  // The fast check accepts only what the schema accepts; zod explains failures.
  if (isDeviceMessage(value)) return value;
  const result = deviceMessageSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue === undefined ? "$" : formatPath(issue.path);
  throw new InvalidInputError(path, issue?.message ?? "not a device message", {
    details: `${result.error.issues.length} problem(s) in the device message`,
    hints: ["See docs/formats.md, section Device messages."],
  });
}
