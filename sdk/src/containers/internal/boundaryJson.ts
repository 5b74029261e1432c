import type { CounterBoundary, CounterChannelConfig } from "../../accounting/types.ts";
import type { CounterBoundaryJson } from "../containerDocumentSchema.ts";

/** Decimal strings for bigints: the document's JSON form of a boundary. */
export function boundaryToJson(boundary: CounterBoundary): CounterBoundaryJson {
  return {
    timestampMs: boundary.timestampMs,
    anchor:
      boundary.anchor === null
        ? null
        : {
            sequence: boundary.anchor.sequence.toString(),
            timestampMs: boundary.anchor.timestampMs,
          },
    importedSinceAnchorMilliWattHours: boundary.importedSinceAnchorMilliWattHours.toString(),
    exportedSinceAnchorMilliWattHours: boundary.exportedSinceAnchorMilliWattHours.toString(),
    method: boundary.method,
  };
}

export function boundaryFromJson(json: CounterBoundaryJson): CounterBoundary {
  return {
    timestampMs: json.timestampMs,
    anchor:
      json.anchor === null
        ? null
        : { sequence: BigInt(json.anchor.sequence), timestampMs: json.anchor.timestampMs },
    importedSinceAnchorMilliWattHours: BigInt(json.importedSinceAnchorMilliWattHours),
    exportedSinceAnchorMilliWattHours: BigInt(json.exportedSinceAnchorMilliWattHours),
    method: json.method,
  };
}

export interface ChannelConfigJson {
  counterModulusMilliWattHours?: string | undefined;
  resetThresholdMilliWattHours: string;
  maxPowerMilliWatts?: string | undefined;
  maxGapMs: number;
}

export function configToJson(config: CounterChannelConfig): ChannelConfigJson {
  return {
    counterModulusMilliWattHours: config.counterModulusMilliWattHours?.toString(),
    resetThresholdMilliWattHours: config.resetThresholdMilliWattHours.toString(),
    maxPowerMilliWatts: config.maxPowerMilliWatts?.toString(),
    maxGapMs: config.maxGapMs,
  };
}

export function configFromJson(json: ChannelConfigJson): CounterChannelConfig {
  return {
    counterModulusMilliWattHours:
      json.counterModulusMilliWattHours === undefined
        ? undefined
        : BigInt(json.counterModulusMilliWattHours),
    resetThresholdMilliWattHours: BigInt(json.resetThresholdMilliWattHours),
    maxPowerMilliWatts:
      json.maxPowerMilliWatts === undefined ? undefined : BigInt(json.maxPowerMilliWatts),
    maxGapMs: json.maxGapMs,
  };
}
