/**
 * Semantic ids of the IDTA Submodel Template "Carbon Footprint",
 * IDTA 02023-1-0 (version 1.0, published template 02023-1-0-2 for AAS
 * metamodel v3.0), as the published template's JSON states them
 * (admin-shell-io/submodel-templates, `published/Carbon Footprint/1/0/2`).
 * ECLASS IRDIs are the template's own, with their `#003` versions.
 */
export const IDTA_CARBON_FOOTPRINT = {
  templateId: "https://admin-shell.io/IDTA02023-1-0",
  submodel: "https://admin-shell.io/idta/CarbonFootprint/CarbonFootprint/1/0",
  productCarbonFootprints:
    "https://admin-shell.io/idta/CarbonFootprint/ProductCarbonFootprints/1/0",
  productCarbonFootprint: "https://admin-shell.io/idta/CarbonFootprint/ProductCarbonFootprint/1/0",
  pcfCalculationMethods: "https://admin-shell.io/idta/CarbonFootprint/PcfCalculationMethods/1/0",
  pcfCalculationMethod: "0173-1#02-ABG854#003",
  pcfCo2eq: "0173-1#02-ABG855#003",
  referenceImpactUnitForCalculation: "0173-1#02-ABG856#003",
  quantityOfMeasureForCalculation: "0173-1#02-ABG857#003",
  lifeCyclePhases: "https://admin-shell.io/idta/CarbonFootprint/LifeCyclePhases/1/0",
  lifeCyclePhase: "0173-1#02-ABG858#003",
  publicationDate: "https://admin-shell.io/idta/CarbonFootprint/PublicationDate/1/0",
  expirationDate: "https://admin-shell.io/idta/CarbonFootprint/ExpirationDate/1/0",
} as const;

/** Life cycle phase values of the template's enumeration (EN 15804 modules) that we use. */
export const IDTA_LIFE_CYCLE_PHASES = {
  rawMaterialSupply: "A1 - raw material supply (and upstream production)",
  production: "A3 - production",
  usageEnergyConsumption: "B6 - usage energy consumption",
} as const;

/** Reference impact units of the template's enumeration (`piece`, `kg`, …, and its own spelling `kwH`). */
export const IDTA_REFERENCE_UNITS = [
  "g",
  "kg",
  "t",
  "ml",
  "l",
  "cbm",
  "qm",
  "piece",
  "kwH",
] as const;
export type IdtaReferenceUnit = (typeof IDTA_REFERENCE_UNITS)[number];
