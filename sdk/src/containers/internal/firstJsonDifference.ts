/**
 * The path of the first place two JSON values differ (`$.channels[1].energyImportedMilliWattHours`),
 * with both sides, or undefined when they are equal. Properties set to
 * undefined count as absent, as in JCS. Used to name what a tampered document changed.
 */
export function firstJsonDifference(
  expected: unknown,
  actual: unknown,
  path = "$",
): { path: string; expected: unknown; actual: unknown } | undefined {
  if (Object.is(expected, actual)) return undefined;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let index = 0; index < Math.max(expected.length, actual.length); index++) {
      if (index >= expected.length || index >= actual.length) {
        return {
          path: `${path}.length`,
          expected: expected.length,
          actual: actual.length,
        };
      }
      const found = firstJsonDifference(expected[index], actual[index], `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isRecord(expected) && isRecord(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of [...keys].sort()) {
      const found = firstJsonDifference(expected[key], actual[key], `${path}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return { path, expected, actual };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
