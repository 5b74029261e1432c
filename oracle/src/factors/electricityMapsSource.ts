import type { AverageIntensity, GridIntensitySource } from "@energy-intelligence/sdk/factors/index";
import { parseElectricityMapsCarbonIntensity } from "@energy-intelligence/sdk/factors/index";
import { createSeriesRequester } from "./requestSeries.ts";
import type { HttpSourceOptions } from "./requestSeries.ts";

export const ELECTRICITY_MAPS_CITATION = {
  title: "Electricity Maps API v3, carbon-intensity (hourly, per zone)",
  url: "https://www.electricitymaps.com/",
  publisher: "Electricity Maps ApS",
};
export const ELECTRICITY_MAPS_LICENCE = {
  name: "Electricity Maps API terms of use (commercial licence; the free tier is for non-commercial use)",
  url: "https://www.electricitymaps.com/terms-of-use",
};

/**
 * Electricity Maps v3 as a GridIntensitySource: GET
 * /v3/carbon-intensity/past-range?zone&start&end&emissionFactorType=direct|lifecycle
 * with the `auth-token` header. The kind asked for is sent and checked in the
 * answer: direct figures for Scope 2, lifecycle ones for product footprints
 * (ISO 14067); the kind travels into every factor record.
 */
export function createElectricityMapsSource(
  options: HttpSourceOptions & { baseUrl: string; zone: string; authToken: string },
): GridIntensitySource {
  const requestSeries = createSeriesRequester<AverageIntensity>(options);
  const base = options.baseUrl.replace(/\/+$/u, "");
  return {
    id: "electricity-maps",
    averageIntensities: async ({ startMs, endMs, kind }) => {
      const query = new URLSearchParams({
        zone: options.zone,
        start: new Date(startMs).toISOString(),
        end: new Date(endMs).toISOString(),
        emissionFactorType: kind,
      });
      const url = `${base}/v3/carbon-intensity/past-range?${query.toString()}`;
      return await requestSeries(
        url,
        { "auth-token": options.authToken },
        { startMs, endMs },
        (body, retrievedAtMs) =>
          parseElectricityMapsCarbonIntensity({
            body,
            endpoint: "history",
            zone: options.zone,
            kind,
            startMs,
            endMs,
            retrievedAtMs,
          }),
      );
    },
  };
}
