export {
  BILL_OF_MATERIALS_FORMAT,
  billOfMaterialsSchema,
  bomComponentSchema,
} from "./billOfMaterialsSchema.ts";
export type { BillOfMaterials, BomComponent } from "./billOfMaterialsSchema.ts";
export { materialsFootprintOf } from "./materialsFootprintOf.ts";
export type { MaterialsComponentFootprint, MaterialsFootprint } from "./materialsFootprintOf.ts";
export { productFootprintWithMaterials } from "./productFootprintWithMaterials.ts";
export type { ProductFootprintWithMaterialsParameters } from "./productFootprintWithMaterials.ts";
export {
  EI_MATERIALS_EXTENSION_VERSION,
  materialsExtensionDataSchema,
  materialsExtensionJsonSchema,
} from "./materialsExtensionSchema.ts";
export type { MaterialsExtensionData } from "./materialsExtensionSchema.ts";
export { componentMilligrams, signedMilligramsToKg } from "./kilogramDecimals.ts";
