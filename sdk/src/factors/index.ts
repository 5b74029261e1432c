export type {
  EmissionFactorRecord,
  FactorCitation,
  FactorDataset,
  FactorKind,
  FactorLicence,
  FactorPeriod,
  FactorUnit,
  PendingRegion,
  FactorSource,
  FactorGases,
  FactorProvenance,
  Co2eFromGases,
} from "./types.ts";
export { FACTOR_DATASET_FORMAT, parseFactorDataset } from "./parseFactorDataset.ts";
export { loadShippedFactorDatasets } from "./loadShippedFactorDatasets.ts";
export { findFactor } from "./findFactor.ts";
export type { FactorPolicy, FindFactorReturnType } from "./findFactor.ts";
export { factorRef } from "./factorRef.ts";
export { factorListRef } from "./factorListRef.ts";
export { NoEmissionFactorError } from "./NoEmissionFactorError.ts";
export type {
  AverageIntensity,
  AverageIntensityKind,
  AverageIntensityRequest,
  GridIntensitySource,
  IntensityKind,
  IntensityProblem,
  IntensityProblemReason,
  IntensityProvenance,
  IntensitySeries,
  MarginalSignal,
  MarginalSignalSource,
  OnChainIntensitySource,
} from "./intensityTypes.ts";
export { averageIntensityToFactorRecord } from "./averageIntensityToFactorRecord.ts";
export { resolveHourlyFactors } from "./resolveHourlyFactors.ts";
export type {
  FactorFallback,
  HourlyFactor,
  ResolveHourlyFactorsParameters,
} from "./resolveHourlyFactors.ts";
export {
  MAX_PLAUSIBLE_GRAMS_PER_KILOWATT_HOUR,
  checkIntensityValue,
} from "./sources/checkIntensityValue.ts";
export {
  UK_CARBON_INTENSITY_SOURCE,
  parseUkCarbonIntensityRegional,
} from "./sources/parseUkCarbonIntensityRegional.ts";
export {
  ELECTRICITY_MAPS_SOURCE,
  parseElectricityMapsCarbonIntensity,
} from "./sources/parseElectricityMapsCarbonIntensity.ts";
export {
  WATTTIME_SOURCE,
  parseWattTimeLogin,
  parseWattTimeSignal,
} from "./sources/parseWattTimeSignal.ts";
export { createShippedIntensitySource } from "./sources/createShippedIntensitySource.ts";
export {
  FUEL_FACTOR_DATASET_FORMAT,
  FUEL_FACTOR_UNITS,
  parseFuelFactorDataset,
} from "./parseFuelFactorDataset.ts";
export type {
  FuelFactorDataset,
  FuelFactorRecord,
  FuelFactorUnit,
} from "./parseFuelFactorDataset.ts";
export { loadShippedFuelFactorDatasets } from "./loadShippedFuelFactorDatasets.ts";
export { loadShippedResidualMixDatasets } from "./loadShippedResidualMixDatasets.ts";
