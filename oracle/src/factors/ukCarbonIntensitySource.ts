import type { AverageIntensity, GridIntensitySource } from "@energy-intelligence/sdk/factors/index";
import { parseUkCarbonIntensityRegional } from "@energy-intelligence/sdk/factors/index";
import { createSeriesRequester } from "./requestSeries.ts";
import type { HttpSourceOptions } from "./requestSeries.ts";

export const UK_CARBON_INTENSITY_CITATION = {
  title: "Carbon Intensity API (regional forecast), National Energy System Operator",
  url: "https://carbonintensity.org.uk/",
  publisher:
    "NESO (National Energy System Operator) with Environmental Defense Fund Europe, University of Oxford, WWF",
};
export const UK_CARBON_INTENSITY_LICENCE = {
  name: "Creative Commons Attribution 4.0 International (CC BY 4.0), per the API's terms",
  url: "https://creativecommons.org/licenses/by/4.0/",
};

const HALF_HOUR_MS = 1_800_000;

/** The API writes instants to the minute: 2025-06-01T12:00Z. */
function apiInstant(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16) + "Z";
}

/**
 * The UK Carbon Intensity API (api.carbonintensity.org.uk, no key) as a
 * GridIntensitySource: GET /regional/intensity/{from}/{to}/regionid/{id},
 * half-hourly regional forecasts (direct, g CO2/kWh). The window asked for
 * starts half an hour early, since the API answers the half-hours that end
 * after `from`; the parser keeps exactly the requested ones and reports any
 * that are missing.
 */
export function createUkCarbonIntensitySource(
  options: HttpSourceOptions & { baseUrl: string; regionId: number },
): GridIntensitySource {
  const requestSeries = createSeriesRequester<AverageIntensity>(options);
  const base = options.baseUrl.replace(/\/+$/u, "");
  return {
    id: "uk-carbon-intensity",
    averageIntensities: async ({ startMs, endMs, kind }) => {
      const window = { startMs, endMs };
      if (kind !== "direct")
        return {
          points: [],
          problems: [
            {
              reason: "wrong-kind",
              period: window,
              detail: "the Carbon Intensity API publishes direct (generation) intensities only",
            },
          ],
        };
      const url = `${base}/regional/intensity/${apiInstant(startMs - HALF_HOUR_MS)}/${apiInstant(endMs)}/regionid/${options.regionId}`;
      return await requestSeries(url, undefined, window, (body, retrievedAtMs) =>
        parseUkCarbonIntensityRegional({
          body,
          regionId: options.regionId,
          startMs,
          endMs,
          retrievedAtMs,
        }),
      );
    },
  };
}
