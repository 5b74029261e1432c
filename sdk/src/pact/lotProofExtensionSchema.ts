import { z } from "zod";

/**
 * The `data` of our PACT data model extension (`extensions[0]` of every
 * footprint we publish): where the lot's proof is. PACT requires a public
 * JSON Schema at the extension's `dataSchema` URL; the gateway serves this
 * schema's JSON Schema at `/pact/extensions/ei-lot-proof/1.0.0/schema.json`.
 */
export const lotProofExtensionDataSchema = z.object({
  chainId: z.int().positive(),
  productLots: z.string().regex(/^0x[0-9a-fA-F]{40}$/u, "expected an address"),
  lotId: z.string().regex(/^(0|[1-9][0-9]*)$/u, "expected a decimal token id"),
  mintTransaction: z
    .string()
    .regex(/^0x[0-9a-f]{64}$/u)
    .optional(),
  footprintCid: z.string().min(1),
  footprintFormat: z.literal("ei-footprint-v1"),
  verifyUrl: z.url(),
  electricityMethod: z.enum(["market", "location"]),
  units: z.string().regex(/^[1-9][0-9]*$/u),
  perUnit: z.object({
    energyKilowattHours: z.string(),
    emissionsLocationKgCo2e: z.string(),
    emissionsMarketKgCo2e: z.string(),
  }),
  provenance: z.object({
    readings: z.int().min(0),
    measuredReadings: z.int().min(0),
    flags: z.array(z.string()),
  }),
});
export type LotProofExtensionData = z.infer<typeof lotProofExtensionDataSchema>;

/** The extension's JSON Schema (draft 2020-12), as served at its `dataSchema` URL. */
export function lotProofExtensionJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(lotProofExtensionDataSchema);
}
