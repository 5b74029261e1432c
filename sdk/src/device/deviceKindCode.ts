/**
 * EnergyRegistry's device kinds (`IEnergyRegistry.Device.kind`, 1..7) by the
 * slugs the gateway stores. A slug the chain has no code for is `other` (7).
 */
export const DEVICE_KIND_CODES = {
  "ct-clamp": 1,
  meter: 2,
  pdu: 3,
  inverter: 4,
  "pulse-counter": 5,
  "smart-plug": 6,
  other: 7,
} as const;

/**
 * The on-chain kind code of a device kind slug.
 *
 * @example
 * ```ts
 * deviceKindCode("ct-clamp"); // 1
 * deviceKindCode("modbus-meter"); // 7 (other)
 * ```
 */
export function deviceKindCode(kind: string): number {
  return Object.hasOwn(DEVICE_KIND_CODES, kind)
    ? DEVICE_KIND_CODES[kind as keyof typeof DEVICE_KIND_CODES]
    : DEVICE_KIND_CODES.other;
}
