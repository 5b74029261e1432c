const TOPIC = /^ei\/v1\/(0x[0-9a-f]{64})\/(0x[0-9a-f]{64})\/readings$/u;

/**
 * Splits a device readings topic (`ei/v1/<siteId>/<deviceId>/readings`) into its
 * ids, or returns undefined when the topic is not one.
 *
 * @example
 * ```ts
 * parseDeviceTopic(`ei/v1/${siteId}/${deviceId}/readings`); // { siteId, deviceId }
 * parseDeviceTopic("ei/v1/x/y/readings"); // undefined
 * ```
 */
export function parseDeviceTopic(
  topic: string,
): { siteId: `0x${string}`; deviceId: `0x${string}` } | undefined {
  const match = TOPIC.exec(topic);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { siteId: match[1] as `0x${string}`, deviceId: match[2] as `0x${string}` };
}
