export {
  PACT_CROSS_SECTORAL_STANDARDS,
  PACT_DECLARED_UNITS,
  PACT_REGIONS,
  PACT_SPEC_VERSION,
  PACT_STATUSES,
  PACT_VERIFICATION_COVERAGES,
  pactCarbonFootprintSchema,
  pactDataModelExtensionSchema,
  pactDateTimeSchema,
  pactDecimalSchema,
  pactGeographyCountrySchema,
  pactUrnSchema,
  productFootprintSchema,
} from "./productFootprintSchema.ts";
export type {
  PactCarbonFootprint,
  PactDataModelExtension,
  PactProductFootprint,
} from "./productFootprintSchema.ts";
export {
  EI_LOT_PROOF_EXTENSION_VERSION,
  pactFootprintIdOf,
  productFootprintFromLot,
} from "./productFootprintFromLot.ts";
export type { PactLotFacts, ProductFootprintFromLotParameters } from "./productFootprintFromLot.ts";
export {
  divideRoundingUp,
  milligramsToKilogramDecimal,
  percentageRoundingDown,
} from "./pactDecimals.ts";
export { readingProvenance } from "./readingProvenance.ts";
export type { ReadingProvenance } from "./readingProvenance.ts";
export {
  lotProofExtensionDataSchema,
  lotProofExtensionJsonSchema,
} from "./lotProofExtensionSchema.ts";
export type { LotProofExtensionData } from "./lotProofExtensionSchema.ts";
