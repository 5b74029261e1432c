export type {
  EmissionFactorRecord,
  FactorCitation,
  FactorDataset,
  FactorKind,
  FactorLicence,
  FactorPeriod,
  FactorUnit,
  PendingRegion,
} from "./types.ts";
export { FACTOR_DATASET_FORMAT, parseFactorDataset } from "./parseFactorDataset.ts";
export { loadShippedFactorDatasets } from "./loadShippedFactorDatasets.ts";
export { findFactor } from "./findFactor.ts";
export type { FactorPolicy, FindFactorReturnType } from "./findFactor.ts";
export { factorRef } from "./factorRef.ts";
export { factorListRef } from "./factorListRef.ts";
export { NoEmissionFactorError } from "./NoEmissionFactorError.ts";
