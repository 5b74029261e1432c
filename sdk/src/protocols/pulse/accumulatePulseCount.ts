import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";

export interface PulseCounterState {
  /** Last raw count the counter reported. */
  lastRawCount: bigint;
  /** Pulses accumulated across counter restarts. */
  totalPulses: bigint;
}

export interface AccumulatePulseCountParameters {
  /** State after the previous report, or undefined for the first one. */
  state: PulseCounterState | undefined;
  /** Cumulative count as the pulse counter reports it. */
  rawCount: bigint;
  /** The meter's constant, e.g. 1000 (S0 outputs of kWh meters: IEC 62053-31). */
  pulsesPerKilowattHour: number;
  /** Set when the counter says it restarted (boot flag, uptime went down); a lower count is then a restart. */
  restarted?: boolean;
}

/**
 * Turns a cumulative pulse count (from an S0 or dry-contact input, reported
 * over MQTT or Modbus) into a cumulative energy counter that survives counter
 * restarts: when the count restarts from zero, pulses counted since are added
 * on top of the total instead of being lost. A lower count without a restart
 * flag is refused (`counter-went-backwards`) rather than guessed at.
 * Energy = pulses × 10^6 / pulsesPerKilowattHour mWh, floored: pulses not yet
 * worth a whole mWh stay in the pulse total, so nothing is lost to rounding.
 *
 * @throws {ProtocolFrameError} counter-went-backwards | bad-value
 * @example
 * ```ts
 * let state; ({ state, energyMilliWattHours } = accumulatePulseCount({ state, rawCount: 1500n, pulsesPerKilowattHour: 1000 })); // 1 500 000 mWh
 * ```
 */
export function accumulatePulseCount(parameters: AccumulatePulseCountParameters): {
  state: PulseCounterState;
  energyMilliWattHours: bigint;
} {
  const { state, rawCount, pulsesPerKilowattHour } = parameters;
  if (!Number.isInteger(pulsesPerKilowattHour) || pulsesPerKilowattHour <= 0) {
    throw new ProtocolFrameError(
      "pulse",
      "bad-value",
      "pulsesPerKilowattHour",
      `${pulsesPerKilowattHour} is not a positive integer`,
    );
  }
  if (rawCount < 0n)
    throw new ProtocolFrameError("pulse", "bad-value", "rawCount", `${rawCount} is negative`);
  let totalPulses: bigint;
  if (state === undefined) totalPulses = rawCount;
  else if (rawCount >= state.lastRawCount && parameters.restarted !== true) {
    totalPulses = state.totalPulses + (rawCount - state.lastRawCount);
  } else if (parameters.restarted === true) {
    // Restarted from zero: every pulse it reports now is new.
    totalPulses = state.totalPulses + rawCount;
  } else {
    throw new ProtocolFrameError(
      "pulse",
      "counter-went-backwards",
      "rawCount",
      `${rawCount} after ${state.lastRawCount} without a restart flag`,
    );
  }
  return {
    state: { lastRawCount: rawCount, totalPulses },
    energyMilliWattHours: (totalPulses * 1_000_000n) / BigInt(pulsesPerKilowattHour),
  };
}
