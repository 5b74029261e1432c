export { aas } from "./loadAasCore.ts";
export type { AasCore } from "./loadAasCore.ts";
export {
  IDTA_CARBON_FOOTPRINT,
  IDTA_LIFE_CYCLE_PHASES,
  IDTA_REFERENCE_UNITS,
} from "./carbonFootprintSemanticIds.ts";
export type { IdtaReferenceUnit } from "./carbonFootprintSemanticIds.ts";
export {
  carbonFootprintSubmodelIdOf,
  lotGlobalAssetId,
  machineGlobalAssetId,
  shellIdOf,
} from "./aasIdentifiers.ts";
export { buildCarbonFootprintSubmodel } from "./buildCarbonFootprintSubmodel.ts";
export type {
  BuildCarbonFootprintSubmodelParameters,
  CarbonFootprintEntry,
} from "./buildCarbonFootprintSubmodel.ts";
export { buildAssetShell } from "./buildAssetShell.ts";
export { buildLotAas } from "./buildLotAas.ts";
export type { BuildLotAasParameters } from "./buildLotAas.ts";
export { buildMachineAas } from "./buildMachineAas.ts";
export type { BuildMachineAasParameters } from "./buildMachineAas.ts";
export { verifyAasEnvironment } from "./verifyAasEnvironment.ts";
export type { AasVerificationFailure } from "./verifyAasEnvironment.ts";
export { aasEnvironmentFromJson, aasEnvironmentToJson, mergeAasEnvironments } from "./aasJson.ts";
export { AASX_RELATIONSHIP, buildAasxPackage, readAasxPackage } from "./aasxPackage.ts";
