import { z } from "zod";

/** Version of our bill-of-materials PACT data model extension. */
export const EI_MATERIALS_EXTENSION_VERSION = "1.0.0";

const kg = z.string().regex(/^-?\d+(\.\d+)?$/u, "expected a kg decimal string");

/**
 * The `data` of our `ei-materials` PACT extension: the declared figure split
 * into this site's production electricity and each purchased component's
 * share of its supplier's footprint, so a buyer sees which part is which.
 */
export const materialsExtensionDataSchema = z.object({
  productionFootprintId: z.uuid(),
  productionKgCo2e: kg,
  materialsKgCo2e: kg,
  components: z.array(
    z.object({
      component: z.string().min(1),
      quantity: z.string(),
      unit: z.string(),
      supplierFootprintId: z.uuid(),
      supplierCompanyName: z.string(),
      supplierProductName: z.string(),
      kgCo2e: kg,
    }),
  ),
});
export type MaterialsExtensionData = z.infer<typeof materialsExtensionDataSchema>;

/** The extension's JSON Schema, for the URL its `dataSchema` names. */
export function materialsExtensionJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(materialsExtensionDataSchema);
}
