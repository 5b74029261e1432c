import type { Hex } from "viem";
import type { ContainerHeader } from "../eip712/messageTypes.ts";
import { periodBoundaryMsToSeconds } from "../units/periodBoundaryMsToSeconds.ts";
import type { ContainerPublicPart } from "./containerDocumentSchema.ts";

/**
 * The EIP-712 header a container document commits to: its ids, period in
 * Unix seconds, root, reading count, totals, factorRef, revision and
 * supersedes, with `cid` the binary CID (as hex) of the stored bytes. The
 * builder signs this; the verifier compares it with the anchored header.
 *
 * @throws {InvalidInputError} when the period is not whole seconds.
 * @example
 * ```ts
 * const header = containerHeaderFromDocument(document, cidToHex(cid));
 * ```
 */
export function containerHeaderFromDocument(
  document: Omit<ContainerPublicPart, "format"> & { format: string },
  cid: Hex,
): ContainerHeader {
  return {
    siteId: document.siteId,
    streamId: document.streamId,
    periodStart: periodBoundaryMsToSeconds(document.period.startMs, "period.startMs"),
    periodEnd: periodBoundaryMsToSeconds(document.period.endMs, "period.endMs"),
    merkleRoot: document.merkleRoot,
    cid,
    readingCount: document.readingCount,
    energyImportedMilliWattHours: BigInt(document.totals.energyImportedMilliWattHours),
    energyExportedMilliWattHours: BigInt(document.totals.energyExportedMilliWattHours),
    emissionsLocationMilligramsCo2e: BigInt(document.totals.emissionsLocationMilligramsCo2e),
    emissionsMarketMilligramsCo2e: BigInt(document.totals.emissionsMarketMilligramsCo2e),
    factorRef: document.factorRef,
    revision: document.revision,
    supersedes: BigInt(document.supersedes),
  };
}
