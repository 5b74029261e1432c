import { z } from "zod";
import {
  bytes32Schema,
  decimalStringSchema,
  readingDetailsSchema,
} from "./containerDocumentSchema.ts";

/**
 * A single-reading disclosure, `ei-reading-disclosure-v1` (docs/formats.md,
 * "Disclosure"): one reading's leaf values with its salt and the Merkle proof
 * to its container's root. Anyone holding it can check the reading against
 * the anchored header without seeing any other reading. `details` may be left
 * out; its hash is in the leaf either way.
 */
export const READING_DISCLOSURE_FORMAT = "ei-reading-disclosure-v1";

export const readingDisclosureSchema = z.strictObject({
  format: z.literal(READING_DISCLOSURE_FORMAT),
  /** The container's ERC-1155 token id, decimal. */
  containerId: decimalStringSchema,
  reading: z.strictObject({
    salt: bytes32Schema,
    deviceId: bytes32Schema,
    channel: z.int().min(0).max(0xffff_ffff),
    sequence: decimalStringSchema,
    timestampMs: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
    energyImportedMilliWattHours: decimalStringSchema,
    energyExportedMilliWattHours: decimalStringSchema,
    quality: z.enum(["measured", "estimated", "imported"]),
    detailsHash: bytes32Schema,
  }),
  details: readingDetailsSchema.optional(),
  proof: z.array(bytes32Schema).max(64),
});

export type ReadingDisclosure = z.infer<typeof readingDisclosureSchema>;
