import type { Hex } from "viem";
import type { HourFactors } from "../allocation/types.ts";
import { configFromJson } from "../containers/internal/boundaryJson.ts";
import type { EmissionFactorRecord } from "../factors/types.ts";
import { InvalidInputError } from "../errors/index.ts";
import type { BuildFootprintDocumentParameters } from "./buildFootprintDocument.ts";
import type { FootprintDocument } from "./footprintDocumentSchema.ts";

const HOUR_MS = 3_600_000;

/**
 * The builder's inputs as a footprint document declares them: its jobs,
 * scope, rules, channels, disclosed readings, containers and hourly factors.
 * Feeding them back to buildFootprintDocument must give the document again;
 * that is how a verifier recomputes a lot from public data.
 *
 * @throws {InvalidInputError} when an hour names a factor the document does not list.
 * @example
 * ```ts
 * const rebuilt = buildFootprintDocument(footprintInputsFromDocument(document));
 * ```
 */
export function footprintInputsFromDocument(
  document: FootprintDocument,
): BuildFootprintDocumentParameters {
  const factorOf = (ref: Hex, path: string): EmissionFactorRecord => {
    const found = document.factors.find((entry) => entry.ref === ref);
    if (found === undefined) throw new InvalidInputError(path, `factor ${ref} is not listed`);
    const { published, ...rest } = found.factor;
    return published === undefined ? rest : { ...rest, published };
  };
  const hourFactors: HourFactors[] = document.hours.map((hour, index) => ({
    hourStartMs: Math.floor(hour.startMs / HOUR_MS) * HOUR_MS,
    location: factorOf(hour.locationFactorRef, `hours[${index}].locationFactorRef`),
    market: factorOf(hour.marketFactorRef, `hours[${index}].marketFactorRef`),
  }));
  const channel = (entry: FootprintDocument["overhead"]["channels"][number]) => ({
    deviceId: entry.deviceId,
    channel: entry.channel,
    config: configFromJson(entry.config),
  });
  return {
    siteId: document.siteId,
    productId: document.productId,
    lotJobIds: document.lot.jobIds,
    jobs: document.jobs.map((job) => ({
      jobId: job.jobId,
      productId: job.productId,
      machineIds: job.machineIds,
      startMs: job.startMs,
      stopMs: job.stopMs,
      units: BigInt(job.units),
    })),
    scope: document.scope,
    rules: document.rules,
    machines: document.machines.map((machine) => ({
      machineId: machine.machineId,
      channels: machine.channels.map(channel),
    })),
    overheadChannels: document.overhead.channels.map(channel),
    readings: document.readings,
    containers: document.containers,
    hourFactors,
  };
}
