import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { LORA_DOWNLINK_FPORT, LORA_DOWNLINK_LAYOUT } from "./loraPayloadLayout.ts";

/**
 * Encodes the configuration downlink (fPort 11): version byte, then the
 * uplink interval in seconds as u16 big-endian.
 *
 * @throws {ProtocolFrameError} bad-value when the interval is not an integer in [60, 65535].
 * @example
 * ```ts
 * encodeLoraDownlink({ intervalSeconds: 900 }); // { fPort: 11, bytes: Uint8Array [1, 3, 132] }
 * ```
 */
export function encodeLoraDownlink(data: { intervalSeconds: number }): {
  fPort: number;
  bytes: Uint8Array;
} {
  const seconds = data.intervalSeconds;
  if (
    !Number.isInteger(seconds) ||
    seconds < LORA_DOWNLINK_LAYOUT.minIntervalSeconds ||
    seconds > 0xffff
  ) {
    throw new ProtocolFrameError(
      "lorawan",
      "bad-value",
      "intervalSeconds",
      `${seconds} is not an integer in [60, 65535]`,
    );
  }
  return {
    fPort: LORA_DOWNLINK_FPORT,
    bytes: Uint8Array.from([LORA_DOWNLINK_LAYOUT.version, seconds >> 8, seconds & 0xff]),
  };
}
