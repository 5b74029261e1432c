import { NoEmissionFactorError } from "../NoEmissionFactorError.ts";
import { findFactor } from "../findFactor.ts";
import type { FactorPolicy } from "../findFactor.ts";
import type { AverageIntensity, GridIntensitySource, IntensityProblem } from "../intensityTypes.ts";
import type { FactorDataset } from "../types.ts";

const HOUR_MS = 3_600_000;

/**
 * The shipped datasets behind the GridIntensitySource interface: one point per
 * clock hour of the request, the dataset factor valid then (provenance: the
 * dataset's source, version and the factor's own validity period). A region
 * or time without a factor is a `missing-interval` problem with findFactor's
 * reason, never a zero.
 *
 * @example
 * ```ts
 * const source = createShippedIntensitySource(loadShippedFactorDatasets());
 * const { points } = await source.averageIntensities({ region: "GB", startMs, endMs, kind: "direct" });
 * ```
 */
export function createShippedIntensitySource(
  datasets: readonly FactorDataset[],
  policy: FactorPolicy = "in-period",
): GridIntensitySource {
  return {
    id: "shipped",
    averageIntensities: async ({ region, startMs, endMs, kind }) => {
      const points: AverageIntensity[] = [];
      const problems: IntensityProblem[] = [];
      for (let t = Math.floor(startMs / HOUR_MS) * HOUR_MS; t < endMs; t += HOUR_MS) {
        const period = { startMs: t, endMs: t + HOUR_MS };
        try {
          const { factor } = findFactor(datasets, region, t, policy);
          if (factor.kind !== kind) {
            problems.push({
              reason: "wrong-kind",
              period,
              detail: `${factor.datasetId} is ${factor.kind}, asked for ${kind}`,
            });
            continue;
          }
          points.push({
            kind: factor.kind,
            gramsPerKilowattHour: factor.value,
            co2Only: factor.unit === "g CO2/kWh",
            estimated: false,
            provenance: {
              source: factor.source,
              region,
              period: factor.period,
              version: factor.version,
              retrievedAtMs: 0,
              kind: factor.kind,
            },
          });
        } catch (error) {
          if (!(error instanceof NoEmissionFactorError)) throw error;
          problems.push({
            reason: "missing-interval",
            period,
            detail: `${error.reason}: ${error.shortMessage}`,
          });
        }
      }
      return await Promise.resolve({ points, problems });
    },
  };
}
