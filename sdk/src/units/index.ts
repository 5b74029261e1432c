export { assertInterval } from "./assertInterval.ts";
export type { AssertIntervalErrorType } from "./assertInterval.ts";
export { emissionsMilligramsCo2e } from "./emissionsMilligramsCo2e.ts";
export type { EmissionsMilligramsCo2eErrorType } from "./emissionsMilligramsCo2e.ts";
export { energyToMilliWattHours } from "./energyToMilliWattHours.ts";
export type { EnergyToMilliWattHoursErrorType } from "./energyToMilliWattHours.ts";
export { exactIntegerOf } from "./exactIntegerOf.ts";
export type { ExactIntegerOfErrorType } from "./exactIntegerOf.ts";
export { formatMilliWattHours } from "./formatMilliWattHours.ts";
export { intervalContains } from "./intervalContains.ts";
export { intervalOverlapLength } from "./intervalOverlapLength.ts";
export { kilowattHoursToMilliWattHours } from "./kilowattHoursToMilliWattHours.ts";
export { parseDecimal } from "./parseDecimal.ts";
export type { ParseDecimalErrorType } from "./parseDecimal.ts";
export { periodBoundaryMsToSeconds } from "./periodBoundaryMsToSeconds.ts";
export type { PeriodBoundaryMsToSecondsErrorType } from "./periodBoundaryMsToSeconds.ts";
export { powerOverDurationToMilliWattHours } from "./powerOverDurationToMilliWattHours.ts";
export type { PowerOverDurationToMilliWattHoursErrorType } from "./powerOverDurationToMilliWattHours.ts";
export { powerToMilliWatts } from "./powerToMilliWatts.ts";
export type { PowerToMilliWattsErrorType } from "./powerToMilliWatts.ts";
export { roundHalfEven } from "./roundHalfEven.ts";
export type { RoundHalfEvenErrorType } from "./roundHalfEven.ts";
export { secondsToMs } from "./secondsToMs.ts";
export { sumEmissionsMilligramsCo2e } from "./sumEmissionsMilligramsCo2e.ts";
export type {
  EmissionsTerm,
  SumEmissionsMilligramsCo2eErrorType,
} from "./sumEmissionsMilligramsCo2e.ts";
export { timestampMsToSeconds } from "./timestampMsToSeconds.ts";
export type { TimestampMsToSecondsErrorType } from "./timestampMsToSeconds.ts";
export { toBigIntInteger } from "./toBigIntInteger.ts";
export type { ToBigIntIntegerErrorType } from "./toBigIntInteger.ts";
export { wattHoursToMilliWattHours } from "./wattHoursToMilliWattHours.ts";
export {
  GRAMS_PER_KILOWATT_HOUR_PER_UNIT,
  MILLIWATT_HOURS_PER_UNIT,
  MILLIWATTS_PER_UNIT,
} from "./types.ts";
export type {
  EmissionFactor,
  EmissionFactorUnit,
  EnergyUnit,
  Interval,
  PowerUnit,
  Rational,
} from "./types.ts";
