import { InvalidInputError } from "../errors/index.ts";
import type { CounterChannelConfig } from "./types.ts";

export interface CounterPairDeltaParameters {
  /** Counter at the earlier reading. */
  previousMilliWattHours: bigint;
  /** Counter at the later reading. */
  currentMilliWattHours: bigint;
  /** Time between the two readings (> 0). */
  elapsedMs: number;
  config: CounterChannelConfig;
  /** Names the later reading's field in errors, e.g. `readings[4].energyImportedMilliWattHours`. */
  path: string;
}
export interface CounterPairDeltaReturnType {
  deltaMilliWattHours: bigint;
  kind: "normal" | "rollover" | "reset";
}
export type CounterPairDeltaErrorType = InvalidInputError;

const MILLIWATT_MILLISECONDS_PER_MILLIWATT_HOUR = 3_600_000n;

/**
 * The energy between two consecutive readings of one cumulative counter,
 * telling a wrap from a reset:
 *
 * - current ≥ previous: the difference (`normal`).
 * - current < previous, a modulus M is declared and the wrapped increase
 *   current + M − previous is plausible: `rollover` with that increase.
 *   Plausible means ≤ ⌈maxPower × elapsed⌉ when a maximum power is declared,
 *   otherwise < M / 2 (a counter read at least twice per half turn).
 * - otherwise current ≤ the reset threshold: `reset`, and the energy is
 *   counted from the new base, i.e. the delta is `current`.
 * - otherwise the counter went backwards: bad data, refused.
 *
 * @throws {InvalidInputError} when a value is at or above the modulus, or the
 *   counter went backwards without a plausible wrap or reset.
 * @example
 * ```ts
 * // 32-bit Wh register: 4_294_967_295 Wh → 5 Wh is a wrap of 6 Wh.
 * counterPairDelta({
 *   previousMilliWattHours: 4_294_967_295_000n,
 *   currentMilliWattHours: 5_000n,
 *   elapsedMs: 60_000,
 *   config: { counterModulusMilliWattHours: 4_294_967_296_000n, resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 },
 *   path: "readings[1].energyImportedMilliWattHours",
 * }); // { deltaMilliWattHours: 6_000n, kind: "rollover" }
 * ```
 */
export function counterPairDelta({
  previousMilliWattHours,
  currentMilliWattHours,
  elapsedMs,
  config,
  path,
}: CounterPairDeltaParameters): CounterPairDeltaReturnType {
  const modulus = config.counterModulusMilliWattHours;
  if (modulus !== undefined && currentMilliWattHours >= modulus) {
    throw new InvalidInputError(
      path,
      `counter ${currentMilliWattHours} is not below the declared modulus ${modulus}`,
    );
  }
  if (currentMilliWattHours >= previousMilliWattHours) {
    return { deltaMilliWattHours: currentMilliWattHours - previousMilliWattHours, kind: "normal" };
  }
  if (modulus !== undefined) {
    const wrapped = currentMilliWattHours + modulus - previousMilliWattHours;
    const plausible =
      config.maxPowerMilliWatts === undefined
        ? 2n * wrapped < modulus
        : wrapped * MILLIWATT_MILLISECONDS_PER_MILLIWATT_HOUR <=
          config.maxPowerMilliWatts * BigInt(elapsedMs) +
            MILLIWATT_MILLISECONDS_PER_MILLIWATT_HOUR -
            1n;
    if (plausible) return { deltaMilliWattHours: wrapped, kind: "rollover" };
  }
  if (currentMilliWattHours <= config.resetThresholdMilliWattHours) {
    return { deltaMilliWattHours: currentMilliWattHours, kind: "reset" };
  }
  throw new InvalidInputError(
    path,
    `counter went backwards from ${previousMilliWattHours} to ${currentMilliWattHours} without a plausible rollover or reset`,
    {
      hints: [
        "Declare counterModulusMilliWattHours if the meter wraps, or raise resetThresholdMilliWattHours if it restarts above the threshold.",
      ],
    },
  );
}
