import type { Hex } from "viem";
import { elementAt as at } from "../accounting/elementAt.ts";
import type { HourFactors } from "../allocation/types.ts";
import type { ContainerDocument } from "../containers/containerDocumentSchema.ts";
import { containerReadingToLeaf } from "../containers/containerReadingToLeaf.ts";
import { READING_DISCLOSURE_FORMAT } from "../containers/readingDisclosureSchema.ts";
import type { ReadingDisclosure } from "../containers/readingDisclosureSchema.ts";
import { InvalidInputError } from "../errors/index.ts";
import type { EmissionFactorRecord } from "../factors/types.ts";
import { footprintMarketRate, marketRateContainerOf } from "./footprintMarketRate.ts";
import type { MarketRateContainer } from "./footprintMarketRate.ts";
import { buildReadingTree } from "../readings/buildReadingTree.ts";
import type { FootprintContainer } from "./footprintDocumentSchema.ts";

const HOUR_MS = 3_600_000;

/** An anchored container with its full (public or opened) document. */
export interface AnchoredContainerInput {
  containerId: bigint;
  /** The container document's CID, base32. */
  cid: string;
  document: ContainerDocument;
}

export interface SelectFootprintReadingsParameters {
  /** The containers covering the scope for every channel, any order. */
  containers: readonly AnchoredContainerInput[];
  /** The channels the footprint meters (machines' and overhead). */
  channels: readonly { deviceId: Hex; channel: number }[];
  scope: { startMs: number; endMs: number };
}

export interface SelectFootprintReadingsReturnType {
  /** Per channel, the readings from the last at or before the scope start to the first at or after its end, with proofs. */
  readings: ReadingDisclosure[];
  /** The containers the readings and hourly factors come from. */
  containers: FootprintContainer[];
  /** Per clock hour of the scope, the factors its containers used. */
  hourFactors: HourFactors[];
}
export type SelectFootprintReadingsErrorType = InvalidInputError;

/**
 * Picks, from anchored containers, every reading a footprint's allocation
 * depends on and discloses each with its Merkle proof to its container's
 * root (the same bundle as buildReadingDisclosure), and takes each hour's
 * emission factors from the containers that cover it, so the footprint uses
 * the very factors the containers anchored. A reading found in two
 * containers (a boundary reading) is disclosed once, from the earlier one.
 *
 * @throws {InvalidInputError} when a channel has no reading in the containers, an hour of
 *   the scope is covered by none, or two containers used different factors for one hour.
 * @example
 * ```ts
 * const { readings, containers, hourFactors } = selectFootprintReadings({ containers: anchored, channels, scope });
 * ```
 */
export function selectFootprintReadings(
  parameters: SelectFootprintReadingsParameters,
): SelectFootprintReadingsReturnType {
  const { scope } = parameters;
  const ordered = [...parameters.containers].sort(
    (a, b) =>
      a.document.period.startMs - b.document.period.startMs ||
      a.document.revision - b.document.revision ||
      (a.containerId < b.containerId ? -1 : 1),
  );
  const used = new Set<number>();
  const readings: ReadingDisclosure[] = [];
  const trees = new Map<number, ReturnType<typeof buildReadingTree>>();
  const treeOf = (index: number) => {
    let tree = trees.get(index);
    if (tree === undefined) {
      tree = buildReadingTree(at(ordered, index).document.readings.map(containerReadingToLeaf));
      trees.set(index, tree);
    }
    return tree;
  };
  parameters.channels.forEach((channel, channelIndex) => {
    const deviceId = channel.deviceId.toLowerCase();
    const found = new Map<string, { container: number; reading: number; timestampMs: number }>();
    ordered.forEach((container, containerIndex) => {
      container.document.readings.forEach((reading, readingIndex) => {
        if (reading.deviceId !== deviceId || reading.channel !== channel.channel) return;
        if (!found.has(reading.sequence)) {
          found.set(reading.sequence, {
            container: containerIndex,
            reading: readingIndex,
            timestampMs: reading.timestampMs,
          });
        }
      });
    });
    const series = [...found.values()].sort((a, b) => a.timestampMs - b.timestampMs);
    if (series.length === 0) {
      throw new InvalidInputError(
        `channels[${channelIndex}]`,
        `no reading of device ${deviceId} channel ${channel.channel} in the containers`,
        {
          hints: [
            "Wait until the containers covering the scope are anchored, or check the stream configuration.",
          ],
        },
      );
    }
    let first = 0;
    series.forEach((entry, index) => {
      if (entry.timestampMs <= scope.startMs) first = index;
    });
    let last = series.length - 1;
    for (let index = series.length - 1; index >= 0; index--) {
      if ((series[index]?.timestampMs ?? 0) >= scope.endMs) last = index;
    }
    for (const entry of series.slice(first, last + 1)) {
      const container = at(ordered, entry.container);
      const reading = container.document.readings[entry.reading];
      if (reading === undefined) continue;
      used.add(entry.container);
      const { details: _details, ...fields } = reading;
      readings.push({
        format: READING_DISCLOSURE_FORMAT,
        containerId: container.containerId.toString(),
        reading: { ...fields, detailsHash: containerReadingToLeaf(reading).detailsHash },
        proof: treeOf(entry.container).getProof(entry.reading),
      });
    }
  });

  const hourFactors: HourFactors[] = [];
  for (
    let hour = Math.floor(scope.startMs / HOUR_MS) * HOUR_MS;
    hour < scope.endMs;
    hour += HOUR_MS
  ) {
    const from = Math.max(hour, scope.startMs);
    const to = Math.min(hour + HOUR_MS, scope.endMs);
    let chosen:
      { location: EmissionFactorRecord; market: EmissionFactorRecord; refs: string } | undefined;
    const v3: MarketRateContainer[] = [];
    ordered.forEach((container, containerIndex) => {
      for (const entry of container.document.hours) {
        if (entry.endMs <= from || entry.startMs >= to) continue;
        const factorOf = (ref: Hex): EmissionFactorRecord => {
          const listed = container.document.factors.find((factor) => factor.ref === ref);
          if (listed === undefined)
            throw new InvalidInputError(
              `containers[${containerIndex}].factors`,
              `factor ${ref} is not listed`,
            );
          const { published, ...rest } = listed.factor;
          return published === undefined ? rest : { ...rest, published };
        };
        // v3: each container's market rate is its own; the hour's rate is formed over all of them.
        const rated = marketRateContainerOf(container.containerId, container.document);
        if (rated !== undefined && !v3.some((entry) => entry.containerId === rated.containerId))
          v3.push(rated);
        const refs = `${entry.locationFactorRef}/${rated === undefined ? entry.marketFactorRef : "v3"}`;
        if (chosen === undefined) {
          chosen = {
            location: factorOf(entry.locationFactorRef),
            market: factorOf(entry.marketFactorRef),
            refs,
          };
        } else if (chosen.refs !== refs) {
          throw new InvalidInputError(
            "containers",
            `the containers used different factors for the hour starting ${new Date(hour).toISOString()}`,
            {
              details: `${chosen.refs} and ${refs}`,
              hints: ["A footprint's machines must share one grid region and market basis."],
            },
          );
        }
        used.add(containerIndex);
      }
    });
    if (chosen === undefined) {
      throw new InvalidInputError(
        "containers",
        `no container covers the hour starting ${new Date(hour).toISOString()}`,
      );
    }
    hourFactors.push({
      hourStartMs: hour,
      location: chosen.location,
      market:
        v3.length === 0
          ? chosen.market
          : footprintMarketRate({ hourStartMs: hour, containers: v3 }),
    });
  }

  const containers: FootprintContainer[] = [...used]
    .sort((a, b) => a - b)
    .map((index) => {
      const { containerId, cid, document } = at(ordered, index);
      return {
        containerId: containerId.toString(),
        streamId: document.streamId,
        periodStartMs: document.period.startMs,
        periodEndMs: document.period.endMs,
        revision: document.revision,
        merkleRoot: document.merkleRoot,
        cid,
      };
    });
  return { readings, containers, hourFactors };
}
