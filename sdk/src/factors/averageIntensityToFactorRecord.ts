import { InvalidInputError } from "../errors/index.ts";
import type { AverageIntensity, MarginalSignal } from "./intensityTypes.ts";
import type { EmissionFactorRecord, FactorCitation, FactorLicence, FactorPeriod } from "./types.ts";

export interface AverageIntensityToFactorRecordParameters {
  /** Identifies the source in `datasetId` as `live:<sourceId>`, e.g. "uk-carbon-intensity". */
  sourceId: string;
  /** The figure for the period (an hour's time-weighted mean of the source's points). */
  value: string;
  /** The source's points the value was formed from (one or more, same kind). */
  from: readonly AverageIntensity[];
  period: FactorPeriod;
  citation: FactorCitation;
  licence: FactorLicence;
  /** Set when the mean did not terminate and was rounded (half to even, 6 decimals). */
  rounded?: boolean | undefined;
}

/**
 * A live grid-average figure as a self-contained EmissionFactorRecord, so it
 * flows through the same lookup-free accounting (locationBasedEmissions,
 * containers) and hashes into a factorRef that pins source, region, period,
 * kind, value and when it was retrieved (`version` carries the retrieval
 * instant and how many source points formed the figure).
 *
 * Refuses a marginal signal at run time as well as by type: marginal
 * emissions are not a Scope 2 factor (GHG Protocol Scope 2 Guidance uses
 * average emission rates), only a scheduling signal.
 *
 * @throws {InvalidInputError} for no points, a marginal point, or points of mixed kind.
 */
export function averageIntensityToFactorRecord(
  parameters: AverageIntensityToFactorRecordParameters,
): EmissionFactorRecord {
  const points = parameters.from as readonly (AverageIntensity | MarginalSignal)[];
  const first = points[0];
  if (first === undefined) throw new InvalidInputError("from", "needs at least one point");
  for (const [index, point] of points.entries()) {
    if (point.kind === "marginal")
      throw new InvalidInputError(
        `from[${index}].kind`,
        "a marginal signal is never an emission factor",
        {
          hints: [
            "Use marginal signals (WattTime) only to schedule jobs; Scope 2 takes average intensities.",
          ],
        },
      );
    if (point.kind !== first.kind || point.co2Only !== first.co2Only)
      throw new InvalidInputError(
        `from[${index}].kind`,
        "points of different kinds cannot form one factor",
      );
  }
  const average = first as AverageIntensity;
  const retrievedAtMs = Math.max(...points.map((point) => point.provenance.retrievedAtMs));
  const estimated = points.some((point) => (point as AverageIntensity).estimated);
  const details = [
    average.provenance.version,
    `${points.length} point(s) time-weighted over the period`,
    estimated ? "estimated/forecast" : undefined,
    parameters.rounded === true ? "mean rounded half-even to 6 decimals" : undefined,
    `retrieved ${new Date(retrievedAtMs).toISOString()}`,
  ].filter((part) => part !== undefined);
  return {
    datasetId: `live:${parameters.sourceId}`,
    source: average.provenance.source,
    version: details.join("; "),
    region: average.provenance.region,
    regionName: average.provenance.region,
    period: parameters.period,
    kind: average.kind,
    unit: average.co2Only ? "g CO2/kWh" : "g CO2e/kWh",
    value: parameters.value,
    citation: parameters.citation,
    licence: parameters.licence,
  };
}
