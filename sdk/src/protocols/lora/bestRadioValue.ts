/**
 * The best (highest) RSSI or SNR over the gateways that heard an uplink, or
 * undefined when none reported one: the link margin that matters is the best
 * path, since any one gateway suffices.
 *
 * @example
 * ```ts
 * bestRadioValue([-110, undefined, -97]); // -97
 * ```
 */
export function bestRadioValue(values: readonly (number | undefined)[]): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? undefined : Math.max(...present);
}
