import { z } from "zod";
import type { CounterBoundary } from "@energy-intelligence/sdk/accounting/index";

const decimal = z.string().regex(/^(?:0|[1-9][0-9]*)$/u);
const boundarySchema = z.object({
  timestampMs: z.int(),
  anchor: z.object({ sequence: decimal, timestampMs: z.int() }).nullable(),
  importedSinceAnchorMilliWattHours: decimal,
  exportedSinceAnchorMilliWattHours: decimal,
  method: z.enum(["reading", "interpolated", "held", "first-reading", "no-readings"]),
});

/**
 * Parses a stream cursor's stored end boundaries (the previous container
 * document's `channels[].endBoundary`, keyed `deviceId/channel`) into the
 * sdk's CounterBoundary, to chain the next container onto it.
 */
export function boundariesFromJson(json: string | null): Map<string, CounterBoundary> {
  const map = new Map<string, CounterBoundary>();
  if (json === null) return map;
  const parsed = z.record(z.string(), boundarySchema).parse(JSON.parse(json));
  for (const [key, value] of Object.entries(parsed)) {
    map.set(key, {
      timestampMs: value.timestampMs,
      anchor:
        value.anchor === null
          ? null
          : { sequence: BigInt(value.anchor.sequence), timestampMs: value.anchor.timestampMs },
      importedSinceAnchorMilliWattHours: BigInt(value.importedSinceAnchorMilliWattHours),
      exportedSinceAnchorMilliWattHours: BigInt(value.exportedSinceAnchorMilliWattHours),
      method: value.method,
    });
  }
  return map;
}
