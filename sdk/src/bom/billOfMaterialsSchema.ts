import { z } from "zod";
import { PACT_DECLARED_UNITS } from "../pact/productFootprintSchema.ts";

export const BILL_OF_MATERIALS_FORMAT = "ei-bom-v1";

/** One purchased input of one piece of product: how much of it, and whose footprint covers it. */
export const bomComponentSchema = z.strictObject({
  component: z.string().min(1),
  /** Per piece of the product, in `unit` (the supplier footprint's declared unit). */
  quantity: z
    .string()
    .regex(/^\d+(\.\d+)?$/u, "expected a decimal string")
    .refine((value) => /[1-9]/u.test(value), "must be greater than 0"),
  unit: z.enum(PACT_DECLARED_UNITS),
  /** The PACT ProductFootprint id of the supplier's footprint (kept by `ei pact pull`). */
  supplierFootprintId: z.uuid(),
});

/**
 * A bill of materials per SKU (`ei-bom-v1`): for each product, the
 * purchased components per piece. A product is named by its registry id
 * (bytes32, as in footprint documents); `sku` is the operator's own name.
 */
export const billOfMaterialsSchema = z
  .strictObject({
    format: z.literal(BILL_OF_MATERIALS_FORMAT),
    products: z
      .array(
        z.strictObject({
          productId: z.string().regex(/^0x[0-9a-fA-F]{64}$/u, "expected 0x and 64 hex digits"),
          sku: z.string().min(1).optional(),
          components: z.array(bomComponentSchema).min(1),
        }),
      )
      .min(1),
  })
  .superRefine((bom, context) => {
    const seen = new Set<string>();
    bom.products.forEach((product, index) => {
      const key = product.productId.toLowerCase();
      if (seen.has(key))
        context.addIssue({
          code: "custom",
          path: ["products", index, "productId"],
          message: "listed twice",
        });
      seen.add(key);
    });
  });

export type BillOfMaterials = z.infer<typeof billOfMaterialsSchema>;
export type BomComponent = z.infer<typeof bomComponentSchema>;
