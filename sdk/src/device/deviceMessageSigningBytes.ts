import type { DeviceMessageBody } from "./deviceMessageSchema.ts";
import { canonicalDeviceMessageBody } from "./canonicalDeviceMessageBody.ts";

const encoder = new TextEncoder();

/**
 * The bytes a device signs (or MACs): the UTF-8 of the RFC 8785 (JCS) canonical
 * JSON of the message body, i.e. the message without its `auth` member.
 *
 * @example
 * ```ts
 * const bytes = deviceMessageSigningBytes({ format, deviceId, sentAtMs, readings });
 * // '{"deviceId":"0x…","format":"ei.device-message.v1","readings":[…],"sentAtMs":…}'
 * ```
 */
export function deviceMessageSigningBytes(body: DeviceMessageBody): Uint8Array {
  return encoder.encode(canonicalDeviceMessageBody(body));
}
