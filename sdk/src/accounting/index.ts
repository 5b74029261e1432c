export type {
  CounterBoundary,
  CounterChannelConfig,
  CounterReading,
  EnergyFlag,
  EnergyPiece,
  NeedsMoreData,
  ReadingQualityName,
} from "./types.ts";
export { ENERGY_FLAG_ORDER } from "./types.ts";
export { parseCounterReadings } from "./parseCounterReadings.ts";
export { parseCounterChannelConfig } from "./parseCounterChannelConfig.ts";
export { counterPairDelta } from "./counterPairDelta.ts";
export type { CounterPairDeltaParameters, CounterPairDeltaReturnType } from "./counterPairDelta.ts";
export { buildCounterTrack } from "./buildCounterTrack.ts";
export type { CounterPair, CounterTrack } from "./buildCounterTrack.ts";
export { counterBoundaryAt } from "./counterBoundaryAt.ts";
export type {
  CounterBoundaryAtParameters,
  CounterBoundaryAtReturnType,
} from "./counterBoundaryAt.ts";
export { energyBetweenBoundaries } from "./energyBetweenBoundaries.ts";
export { cutCounterEnergy } from "./cutCounterEnergy.ts";
export type { CutCounterEnergyParameters, CutCounterEnergyReturnType } from "./cutCounterEnergy.ts";
export { periodCounterEnergy } from "./periodCounterEnergy.ts";
export type {
  PeriodCounterEnergyParameters,
  PeriodCounterEnergyReturnType,
} from "./periodCounterEnergy.ts";
export { splitCounterEnergyByHour } from "./splitCounterEnergyByHour.ts";
export type {
  SplitCounterEnergyByHourParameters,
  SplitCounterEnergyByHourReturnType,
} from "./splitCounterEnergyByHour.ts";
export { hourCutsMs } from "./hourCutsMs.ts";
export { validatePeriod } from "./validatePeriod.ts";
export { sortEnergyFlags } from "./sortEnergyFlags.ts";
export { apportionByWeights } from "./apportionByWeights.ts";
export { locationBasedEmissions } from "./locationBasedEmissions.ts";
export type {
  EmissionFlag,
  EnergyForEmissions,
  LocationBasedEmissionsParameters,
  LocationBasedEmissionsReturnType,
  PieceEmissions,
} from "./locationBasedEmissions.ts";
export { transmissionAndDistributionEmissions } from "./transmissionAndDistributionEmissions.ts";
export type {
  TransmissionAndDistributionEmissionsParameters,
  TransmissionAndDistributionEmissionsReturnType,
} from "./transmissionAndDistributionEmissions.ts";
export { marketBasedEmissions } from "./marketBasedEmissions.ts";
export type {
  MarketBasedEmissionsParameters,
  MarketBasedEmissionsReturnType,
} from "./marketBasedEmissions.ts";
export { integratePowerEnergy } from "./integratePowerEnergy.ts";
export type {
  IntegratedEnergyPiece,
  IntegratePowerEnergyParameters,
  IntegratePowerEnergyReturnType,
  PowerBoundary,
  PowerCheckpoint,
  PowerSample,
} from "./integratePowerEnergy.ts";
export { EMISSION_FLAG_ORDER } from "./locationBasedEmissions.ts";
export {
  CARBON_FREE_SOURCES,
  CONTRACTUAL_INSTRUMENTS_FORMAT,
  ENERGY_SOURCES,
  INSTRUMENT_TYPES,
  parseContractualInstruments,
} from "./contractualInstruments.ts";
export type {
  ContractualInstrument,
  EnergySourceName,
  InstrumentType,
} from "./contractualInstruments.ts";
export type {
  HourBalance,
  InstrumentRejection,
  InstrumentUse,
  MarketHour,
} from "./marketBasedEmissions.ts";
export { scope2Emissions } from "./scope2Emissions.ts";
export type { Scope2EmissionsParameters, Scope2EmissionsReturnType } from "./scope2Emissions.ts";
export { fuelCombustionEmissions } from "./fuelCombustionEmissions.ts";
export type {
  FuelCombustionEmissionsParameters,
  FuelCombustionEmissionsReturnType,
  FuelEmissionFlag,
  FuelPiece,
} from "./fuelCombustionEmissions.ts";
export { gasVolumeFromDsmrTelegram } from "./gasVolumeFromDsmrTelegram.ts";
export type { GasVolumeReading } from "./gasVolumeFromDsmrTelegram.ts";
export { splitFuelCounterByHour } from "./splitFuelCounterByHour.ts";
export type { FuelCounterReading } from "./splitFuelCounterByHour.ts";
