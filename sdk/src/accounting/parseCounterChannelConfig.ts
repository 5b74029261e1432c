import { z } from "zod";
import type { InvalidInputError } from "../errors/index.ts";
import type { CounterChannelConfig } from "./types.ts";
import { invalidInputFromZod } from "./invalidInputFromZod.ts";

const counterChannelConfigSchema = z.object({
  counterModulusMilliWattHours: z.bigint().positive().optional(),
  resetThresholdMilliWattHours: z.bigint().nonnegative(),
  maxPowerMilliWatts: z.bigint().positive().optional(),
  maxGapMs: z.number().int().positive(),
});

export type ParseCounterChannelConfigReturnType = CounterChannelConfig;
export type ParseCounterChannelConfigErrorType = InvalidInputError;

/**
 * Validates what a channel's counters are declared to do (modulus, reset
 * threshold, maximum power, maximum gap).
 *
 * @throws {InvalidInputError} naming the field, e.g. `config.maxGapMs`.
 * @example
 * ```ts
 * parseCounterChannelConfig({ resetThresholdMilliWattHours: 1_000_000n, maxGapMs: 900_000 });
 * ```
 */
export function parseCounterChannelConfig(input: unknown): ParseCounterChannelConfigReturnType {
  const result = counterChannelConfigSchema.safeParse(input);
  if (!result.success) throw invalidInputFromZod("config", result.error);
  return result.data;
}
