import { z } from "zod";
import { InvalidInputError } from "../errors/index.ts";
import type { CounterReading } from "./types.ts";
import { invalidInputFromZod } from "./invalidInputFromZod.ts";

const counterReadingSchema = z.object({
  sequence: z.bigint().nonnegative(),
  timestampMs: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  energyImportedMilliWattHours: z.bigint().nonnegative(),
  energyExportedMilliWattHours: z.bigint().nonnegative(),
  quality: z.enum(["measured", "estimated", "imported"]),
});

const counterReadingsSchema = z.array(counterReadingSchema);

export type ParseCounterReadingsReturnType = CounterReading[];
export type ParseCounterReadingsErrorType = InvalidInputError;

/**
 * Validates one channel's counter readings: each field's type and range, then
 * the order the interpolation relies on: timestamps and sequence numbers both
 * strictly increasing (sorted, no duplicates). A counter value below the
 * declared modulus is checked later, where the modulus is known.
 *
 * @throws {InvalidInputError} naming the first bad row and field, e.g.
 *   `readings[2].timestampMs` for an unsorted series.
 * @example
 * ```ts
 * parseCounterReadings([
 *   { sequence: 1n, timestampMs: 0, energyImportedMilliWattHours: 0n, energyExportedMilliWattHours: 0n, quality: "measured" },
 * ]);
 * ```
 */
export function parseCounterReadings(input: unknown): ParseCounterReadingsReturnType {
  const result = counterReadingsSchema.safeParse(input);
  if (!result.success) throw invalidInputFromZod("readings", result.error);
  const readings = result.data;
  for (let index = 1; index < readings.length; index++) {
    const previous = readings[index - 1];
    const current = readings[index];
    if (previous === undefined || current === undefined) continue;
    if (current.sequence <= previous.sequence) {
      throw new InvalidInputError(
        `readings[${index}].sequence`,
        current.sequence === previous.sequence
          ? `duplicate sequence ${current.sequence}`
          : `sequence ${current.sequence} is not after ${previous.sequence} (readings must be sorted)`,
      );
    }
    if (current.timestampMs <= previous.timestampMs) {
      throw new InvalidInputError(
        `readings[${index}].timestampMs`,
        `${current.timestampMs} is not after ${previous.timestampMs} (readings must be sorted by time, one per instant)`,
      );
    }
  }
  return readings;
}
