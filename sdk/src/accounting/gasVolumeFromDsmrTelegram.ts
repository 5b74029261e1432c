import type { DsmrTelegram } from "../protocols/dsmr/types.ts";

export interface GasVolumeReading {
  /** M-Bus channel n of 0-n:24.2.1 (the gas meter's slot on the P1 meter). */
  channel: number;
  /** When the gas meter captured the value (the M-Bus timestamp, not the telegram's). */
  timestampMs: number;
  /** Cumulative volume in litres: the register's m³ with its three decimals, exactly. */
  volumeLitres: bigint;
  /** 24.2.1 is temperature-corrected (NL DSMR 4/5); 24.2.3 is not (e-MUCS). */
  temperatureCorrected: boolean;
}

/**
 * The gas meter readings a P1 telegram carries on its M-Bus channels:
 * `0-n:24.2.1(capture time)(12785.123*m3)` (DSMR 4/5, temperature-corrected)
 * or `0-n:24.2.3` (e-MUCS). Values in other units (water, heat) are skipped.
 * Cumulative litres feed splitFuelCounterByHour like an energy counter.
 *
 * @example
 * ```ts
 * gasVolumeFromDsmrTelegram(parseDsmrTelegram(text)); // [{ channel: 1, volumeLitres: 12785123n, … }]
 * ```
 */
export function gasVolumeFromDsmrTelegram(telegram: DsmrTelegram): GasVolumeReading[] {
  const readings: GasVolumeReading[] = [];
  for (const object of telegram.objects) {
    const match = /^0-(\d+):24\.2\.(1|3)$/u.exec(object.obis);
    if (match === null) continue;
    const [time, value] = object.values;
    if (time?.kind !== "timestamp" || value?.kind !== "number") continue;
    if (value.unit?.toLowerCase() !== "m3") continue;
    const [whole = "0", fraction = ""] = value.text.split(".");
    if (!/^\d+$/u.test(whole) || !/^\d{0,3}$/u.test(fraction)) continue;
    readings.push({
      channel: Number(match[1]),
      timestampMs: time.timestampMs,
      volumeLitres: BigInt(whole) * 1_000n + BigInt(fraction.padEnd(3, "0")),
      temperatureCorrected: match[2] === "1",
    });
  }
  return readings;
}
