import type { Hex } from "viem";
import { InvalidInputError } from "../errors/index.ts";
import { buildReadingTree } from "../readings/buildReadingTree.ts";
import type { ContainerDocument } from "./containerDocumentSchema.ts";
import { containerReadingToLeaf } from "./containerReadingToLeaf.ts";
import { READING_DISCLOSURE_FORMAT } from "./readingDisclosureSchema.ts";
import type { ReadingDisclosure } from "./readingDisclosureSchema.ts";

export interface BuildReadingDisclosureParameters {
  /** The full container document (opened, if it was sealed). */
  document: ContainerDocument;
  containerId: bigint;
  /** The reading: its index in `document.readings`, or its device, channel and sequence. */
  reading: number | { deviceId: Hex; channel: number; sequence: bigint };
  /** Also disclose the reading's details (power, voltage, …, authentication); default false. */
  includeDetails?: boolean | undefined;
}
export type BuildReadingDisclosureErrorType = InvalidInputError;

/**
 * Discloses one reading of a container to anyone: its leaf values with the
 * salt and the Merkle proof to the container's root. Nothing else of the
 * container is revealed (other leaves stay salted), which is how a buyer
 * checks a lot's boundary readings without seeing production volumes.
 *
 * @throws {InvalidInputError} when the reading is not in the document.
 * @example
 * ```ts
 * const bundle = buildReadingDisclosure({ document, containerId, reading: { deviceId, channel: 0, sequence: 42n } });
 * await writeFile("reading.json", JSON.stringify(bundle));
 * ```
 */
export function buildReadingDisclosure(
  parameters: BuildReadingDisclosureParameters,
): ReadingDisclosure {
  const { document, reading: selector } = parameters;
  const index =
    typeof selector === "number"
      ? selector
      : document.readings.findIndex(
          (entry) =>
            entry.deviceId === selector.deviceId.toLowerCase() &&
            entry.channel === selector.channel &&
            entry.sequence === selector.sequence.toString(),
        );
  const entry = document.readings[index];
  if (entry === undefined) {
    throw new InvalidInputError("reading", "not a reading of this container", {
      details:
        typeof selector === "number"
          ? `index ${selector} of ${document.readings.length}`
          : `${selector.deviceId} channel ${selector.channel} sequence ${selector.sequence}`,
    });
  }
  const leaves = document.readings.map(containerReadingToLeaf);
  const tree = buildReadingTree(leaves);
  const { details, ...fields } = entry;
  const leaf = leaves[index];
  if (leaf === undefined) throw new InvalidInputError("reading", "not a reading of this container");
  return {
    format: READING_DISCLOSURE_FORMAT,
    containerId: parameters.containerId.toString(),
    reading: { ...fields, detailsHash: leaf.detailsHash },
    details: parameters.includeDetails === true ? details : undefined,
    proof: tree.getProof(index),
  };
}
