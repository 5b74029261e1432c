/**
 * The MQTT topic a device publishes its readings to:
 * `ei/v1/<siteId>/<deviceId>/readings`, both ids as 0x + 64 lowercase hex.
 *
 * @example
 * ```ts
 * deviceReadingsTopic({ siteId, deviceId }); // "ei/v1/0x…/0x…/readings"
 * ```
 */
export function deviceReadingsTopic(parameters: {
  siteId: `0x${string}`;
  deviceId: `0x${string}`;
}): string {
  return `ei/v1/${parameters.siteId}/${parameters.deviceId}/readings`;
}
