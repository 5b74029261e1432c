import { InvalidInputError } from "../errors/index.ts";
import { roundHalfEven } from "./roundHalfEven.ts";
import { toBigIntInteger } from "./toBigIntInteger.ts";

export type PowerOverDurationToMilliWattHoursErrorType = InvalidInputError;

const MILLISECONDS_PER_HOUR = 3_600_000n;

/**
 * Energy of a constant power held for a duration: mW × ms / 3,600,000 = mWh,
 * rounded half to even once. For integrating power samples where a device has
 * no energy counter; to keep a sum exact, sum the products (mW·ms) first and
 * convert once at the end.
 *
 * @throws {InvalidInputError} when the duration is negative or a number is not a safe integer.
 * @example
 * ```ts
 * powerOverDurationToMilliWattHours(1_000_000n, 3_600_000n); // 1000000n (1 kW for 1 h = 1 kWh)
 * powerOverDurationToMilliWattHours(1_000n, 1_800n); // 0n (0.5 mWh, tie to even)
 * ```
 */
export function powerOverDurationToMilliWattHours(
  powerMilliWatts: bigint | number,
  durationMs: bigint | number,
): bigint {
  const power = toBigIntInteger(powerMilliWatts, "powerMilliWatts");
  const duration = toBigIntInteger(durationMs, "durationMs");
  if (duration < 0n)
    throw new InvalidInputError("durationMs", `must not be negative, got ${duration}`);
  return roundHalfEven(power * duration, MILLISECONDS_PER_HOUR);
}
