import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { NoEmissionFactorError } from "./NoEmissionFactorError.ts";
import { factorRef } from "./factorRef.ts";
import type { EmissionFactorRecord, FactorDataset } from "./types.ts";

/**
 * - `in-period`: only a factor whose validity contains the instant.
 * - `latest-available`: if none does, the factor with the latest period that
 *   ended before the instant (GHG Protocol: use the most recent data
 *   available); the match says so and callers flag the figure.
 */
export type FactorPolicy = "in-period" | "latest-available";

export interface FindFactorReturnType {
  factor: EmissionFactorRecord;
  ref: Hex;
  match: "in-period" | "latest-earlier-period";
}
export type FindFactorErrorType = NoEmissionFactorError | InvalidInputError;

/**
 * The emission factor for a region at an instant. Datasets are searched in the
 * order given, which is their priority: the first dataset holding a factor for
 * the region decides, so two datasets never mix silently for one region.
 *
 * @throws {NoEmissionFactorError} with `reason` unknown-region, pending-region
 *   (listed but its figure not shipped) or no-period — never a silent zero.
 * @throws {InvalidInputError} when timestampMs is not an integer.
 * @example
 * ```ts
 * const { factor, ref } = findFactor(loadShippedFactorDatasets(), "GB", Date.UTC(2025, 5, 1));
 * factor.value; // "177" (g CO2e/kWh)
 * ```
 */
export function findFactor(
  datasets: readonly FactorDataset[],
  region: string,
  timestampMs: number,
  policy: FactorPolicy = "in-period",
): FindFactorReturnType {
  if (!Number.isSafeInteger(timestampMs)) {
    throw new InvalidInputError("timestampMs", `not an integer: ${timestampMs}`);
  }
  for (const dataset of datasets) {
    const candidates = dataset.factors.filter((factor) => factor.region === region);
    if (candidates.length === 0) continue;
    const inPeriod = candidates.find(
      (factor) => factor.period.startMs <= timestampMs && timestampMs < factor.period.endMs,
    );
    if (inPeriod !== undefined)
      return { factor: inPeriod, ref: factorRef(inPeriod), match: "in-period" };
    const earlier = candidates
      .filter((factor) => factor.period.endMs <= timestampMs)
      .sort((a, b) => b.period.endMs - a.period.endMs)[0];
    if (policy === "latest-available" && earlier !== undefined) {
      return { factor: earlier, ref: factorRef(earlier), match: "latest-earlier-period" };
    }
    const periods = candidates
      .map(
        (factor) =>
          `[${new Date(factor.period.startMs).toISOString()}, ${new Date(factor.period.endMs).toISOString()})`,
      )
      .join(", ");
    throw new NoEmissionFactorError(region, timestampMs, "no-period", {
      details: `Dataset ${dataset.id} has factors for ${region} only for ${periods}.`,
      hints:
        earlier === undefined
          ? ["Add a dataset covering this time."]
          : [
              'Pass policy "latest-available" to use the most recent earlier factor (the result is flagged).',
            ],
    });
  }
  for (const dataset of datasets) {
    const pending = dataset.pending.find((entry) => entry.region === region);
    if (pending !== undefined) {
      throw new NoEmissionFactorError(region, timestampMs, "pending-region", {
        details: `Dataset ${dataset.id} lists ${region} (${pending.regionName}) without a figure: ${pending.reason}`,
      });
    }
  }
  throw new NoEmissionFactorError(region, timestampMs, "unknown-region", {
    details: `None of the datasets [${datasets.map((dataset) => dataset.id).join(", ")}] covers ${region}.`,
  });
}
