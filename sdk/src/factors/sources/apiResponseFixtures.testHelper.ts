/**
 * Answers in each API's documented response format, for the parser tests here
 * and the oracle clients' local-server tests. Values are invented; shapes
 * follow the public documentation (Carbon Intensity API v2, Electricity Maps
 * v3, WattTime v3).
 */
export const T0 = Date.UTC(2025, 5, 1, 12); // 2025-06-01T12:00Z

export function ukRegionalBody(
  regionId: number,
  forecasts: readonly (number | null)[],
  startMs = T0,
): unknown {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/:00\.000Z$/u, "Z");
  return {
    data: {
      regionid: regionId,
      dnoregion: "UKPN London",
      shortname: "London",
      data: forecasts.map((forecast, index) => ({
        from: iso(startMs + index * 1_800_000),
        to: iso(startMs + (index + 1) * 1_800_000),
        intensity: { forecast, index: "moderate" },
        generationmix: [
          { fuel: "gas", perc: 40.1 },
          { fuel: "wind", perc: 59.9 },
        ],
      })),
    },
  };
}

export function electricityMapsEntry(
  zone: string,
  startMs: number,
  carbonIntensity: number | null,
  emissionFactorType: "direct" | "lifecycle" = "direct",
  isEstimated = false,
) {
  return {
    zone,
    carbonIntensity,
    datetime: new Date(startMs).toISOString(),
    updatedAt: new Date(startMs + 3_900_000).toISOString(),
    createdAt: new Date(startMs - 86_400_000).toISOString(),
    emissionFactorType,
    isEstimated,
    estimationMethod: isEstimated ? "TIME_SLICER_AVERAGE" : null,
  };
}

export function electricityMapsHistoryBody(
  zone: string,
  values: readonly (number | null)[],
  emissionFactorType: "direct" | "lifecycle" = "direct",
  startMs = T0,
): unknown {
  return {
    zone,
    history: values.map((value, index) =>
      electricityMapsEntry(zone, startMs + index * 3_600_000, value, emissionFactorType),
    ),
  };
}

export function wattTimeBody(
  region: string,
  values: readonly number[],
  units: "lbs_co2_per_mwh" | "percentile",
  forecast = false,
  startMs = T0,
): unknown {
  return {
    data: values.map((value, index) => ({
      point_time: new Date(startMs + index * 300_000).toISOString().replace(".000Z", "+00:00"),
      value,
    })),
    meta: {
      data_point_period_seconds: 300,
      region,
      signal_type: "co2_moer",
      units,
      warnings: [],
      model: { date: "2024-10-01" },
      ...(forecast
        ? { generated_at: new Date(startMs).toISOString(), generated_at_period_seconds: 300 }
        : {}),
    },
  };
}
