/**
 * A small honest container for tests: two CT clamps on one stream, readings
 * every five minutes (offset so that the period's boundaries interpolate),
 * a period 12:30–13:30 UTC on 1 June 2025 that spans two clock hours, UK
 * DESNZ 2025 location factors and a test residual-mix market dataset.
 */
import { keccak256, stringToHex } from "viem";
import type { Hex } from "viem";
import { loadShippedFactorDatasets } from "../factors/loadShippedFactorDatasets.ts";
import { parseFactorDataset } from "../factors/parseFactorDataset.ts";
import type { BuildContainerParameters, ContainerReadingInput } from "./buildContainer.ts";

export const SITE_ID: Hex = keccak256(stringToHex("site:berlin-1"));
export const STREAM_ID: Hex = keccak256(stringToHex("stream:machines"));
export const DEVICE_A: Hex = keccak256(stringToHex("device:ct-clamp-a"));
export const DEVICE_B: Hex = keccak256(stringToHex("device:ct-clamp-b"));
export const SITE_SECRET: Hex = `0x${"5e".repeat(32)}`;
export const PERIOD_START_MS = Date.UTC(2025, 5, 1, 12, 30);
export const PERIOD_END_MS = Date.UTC(2025, 5, 1, 13, 30);

export const RESIDUAL_MIX = parseFactorDataset(
  {
    format: "energy-intelligence/emission-factor-dataset@1",
    id: "test-residual-mix",
    source: "Test residual mix",
    version: "2025",
    kind: "direct",
    unit: "g CO2e/kWh",
    citation: { title: "Test data", url: "https://example.org/residual", publisher: "Tests" },
    licence: { name: "CC0", url: "https://creativecommons.org/publicdomain/zero/1.0/" },
    notes: ["Made up for tests."],
    factors: [
      {
        region: "GB-residual",
        regionName: "GB residual mix",
        period: { year: 2025 },
        value: "301.25",
      },
    ],
  },
  "test-residual-mix",
);

/** Readings of one channel: every 5 minutes from 12:22:10 to 13:37:10, ~1.2 kW and ~0.7 kW. */
export function makeReadings(deviceId: Hex, wattsTimesTen: number): ContainerReadingInput[] {
  const readings: ContainerReadingInput[] = [];
  const firstMs = Date.UTC(2025, 5, 1, 12, 22, 10);
  let counter = 5_000_000_000n + BigInt(wattsTimesTen) * 1_000n;
  for (let index = 0; index < 16; index++) {
    readings.push({
      deviceId,
      channel: 0,
      sequence: 100n + BigInt(index),
      timestampMs: firstMs + index * 300_000,
      energyImportedMilliWattHours: counter,
      energyExportedMilliWattHours: 0n,
      quality: "measured",
      authentication: "ed25519",
      powerMilliWatts: wattsTimesTen * 100 + index,
      voltageMillivolts: 230_000,
    });
    // W × 5 min = W/12 Wh; varies a little per step so hours differ.
    counter += (BigInt(wattsTimesTen) * 100n * 5n * 1000n) / 60n + BigInt(index * 37);
  }
  return readings;
}

export function containerParameters(
  overrides: Partial<BuildContainerParameters> = {},
): BuildContainerParameters {
  const config = { resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 };
  return {
    siteId: SITE_ID,
    streamId: STREAM_ID,
    periodStartMs: PERIOD_START_MS,
    periodEndMs: PERIOD_END_MS,
    channels: [
      { deviceId: DEVICE_A, channel: 0, config },
      { deviceId: DEVICE_B, channel: 0, config },
    ],
    readings: [...makeReadings(DEVICE_A, 12_000), ...makeReadings(DEVICE_B, 7_000)],
    siteSecret: SITE_SECRET,
    factors: {
      location: { datasets: loadShippedFactorDatasets(), region: "GB" },
      market: { datasets: [RESIDUAL_MIX], region: "GB-residual" },
    },
    revision: 0,
    supersedes: 0n,
    disclosure: { mode: "public" },
    ...overrides,
  };
}
