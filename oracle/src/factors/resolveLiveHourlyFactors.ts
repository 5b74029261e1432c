import type {
  AverageIntensityKind,
  FactorCitation,
  FactorDataset,
  FactorLicence,
  FactorPolicy,
  GridIntensitySource,
  HourlyFactor,
} from "@energy-intelligence/sdk/factors/index";
import { resolveHourlyFactors } from "@energy-intelligence/sdk/factors/index";

export interface LiveGridSource {
  source: GridIntensitySource;
  citation: FactorCitation;
  licence: FactorLicence;
}

/**
 * One factor per hour from a live source, asked once for the whole window,
 * with the sdk's explicit per-hour fallback to the shipped datasets
 * (resolveHourlyFactors): every hour that fell back carries the reason. A
 * source that throws instead of reporting is treated as unreachable, so a bug
 * in a client can never stop a container from closing on shipped factors.
 */
export async function resolveLiveHourlyFactors(parameters: {
  live: LiveGridSource | undefined;
  kind: AverageIntensityKind;
  hours: readonly { startMs: number; endMs: number }[];
  shipped: {
    datasets: readonly FactorDataset[];
    region: string;
    policy?: FactorPolicy | undefined;
  };
}): Promise<HourlyFactor[]> {
  const { live, hours, shipped, kind } = parameters;
  const first = hours[0];
  const last = hours[hours.length - 1];
  if (live === undefined || first === undefined || last === undefined)
    return resolveHourlyFactors({ hours, shipped });
  const window = {
    startMs: Math.floor(first.startMs / 3_600_000) * 3_600_000,
    endMs: Math.ceil(last.endMs / 3_600_000) * 3_600_000,
  };
  let series;
  try {
    series = await live.source.averageIntensities({ region: shipped.region, ...window, kind });
  } catch (error) {
    series = {
      points: [],
      problems: [
        {
          reason: "unreachable" as const,
          period: window,
          detail: `source failed: ${error instanceof Error ? error.message : String(error)}`,
        },
      ],
    };
  }
  return resolveHourlyFactors({
    hours,
    live: {
      sourceId: live.source.id,
      kind,
      series,
      citation: live.citation,
      licence: live.licence,
    },
    shipped,
  });
}
