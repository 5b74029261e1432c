import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import type { ProtocolReading } from "../shared/ProtocolReading.ts";
import { scaleDecimal } from "../shared/scaleDecimal.ts";
import type { DsmrTelegram } from "./types.ts";

export interface DsmrTelegramToReadingsParameters {
  /** When the telegram arrived, Unix ms: the timestamp of DSMR 2.2 telegrams, which carry no clock. */
  receivedAtMs?: number;
}
export type DsmrTelegramToReadingsReturnType = ProtocolReading[];
export type DsmrTelegramToReadingsErrorType = ProtocolFrameError;

// Decimal places to shift each unit to its milli-unit integer.
const TO_MILLI: Readonly<Record<string, number>> = { kWh: 6, Wh: 3, kW: 6, W: 3, V: 3, A: 3 };

function milli(telegram: DsmrTelegram, obis: string): bigint | undefined {
  const value = telegram.objects.find((o) => o.obis === obis)?.values[0];
  if (value?.kind !== "number" || value.unit === undefined) return undefined;
  const decimals = TO_MILLI[value.unit];
  const scaled = decimals === undefined ? undefined : scaleDecimal(value.text, decimals);
  if (scaled === undefined) {
    throw new ProtocolFrameError(
      "dsmr",
      "bad-value",
      obis,
      `cannot scale ${value.text} ${value.unit}`,
    );
  }
  return scaled;
}

function counter(telegram: DsmrTelegram, direction: "1" | "2"): bigint | undefined {
  // Tariff registers add up to the meter's total; a meter that prints only
  // the total (x.8.0) is read from it. Never both, or energy counts twice.
  const tariffs = ["1", "2", "3", "4"].map((t) => milli(telegram, `1-0:${direction}.8.${t}`));
  if (tariffs.some((t) => t !== undefined))
    return tariffs.reduce<bigint>((a, t) => a + (t ?? 0n), 0n);
  return milli(telegram, `1-0:${direction}.8.0`);
}

/**
 * Turns a parsed P1 telegram into the electricity meter's normalised reading
 * (channel 0): cumulative import = sum of the tariff registers 1-0:1.8.1…4
 * (or 1-0:1.8.0 when the meter prints only a total), export likewise from
 * 1-0:2.8.x, net power 1-0:1.7.0 − 1-0:2.7.0, and L1 voltage and current.
 * P1 is a local serial port with no signature, so authentication is
 * `serial`; the registers are the billing meter's own, so quality is
 * `measured`. Gas and water (M-Bus) values are not electricity and stay in
 * `telegram.objects`.
 *
 * @throws {ProtocolFrameError} missing-field when the telegram has no import register,
 *   or no timestamp and no receivedAtMs was given.
 * @example
 * ```ts
 * const [reading] = dsmrTelegramToReadings(parseDsmrTelegram(text));
 * reading.energyImportedMilliWattHours; // 246913578000n for the DSMR 5.0.2 example
 * ```
 */
export function dsmrTelegramToReadings(
  telegram: DsmrTelegram,
  parameters: DsmrTelegramToReadingsParameters = {},
): DsmrTelegramToReadingsReturnType {
  const imported = counter(telegram, "1");
  if (imported === undefined) {
    throw new ProtocolFrameError("dsmr", "missing-field", "1-0:1.8.x", "no import energy register");
  }
  const timestampMs = telegram.timestampMs ?? parameters.receivedAtMs;
  if (timestampMs === undefined) {
    throw new ProtocolFrameError(
      "dsmr",
      "missing-field",
      "0-0:1.0.0",
      "telegram has no timestamp and no receivedAtMs was given",
    );
  }
  const reading: ProtocolReading = {
    deviceId: telegram.equipmentId ?? telegram.identification,
    channel: 0,
    timestampMs,
    energyImportedMilliWattHours: imported,
    energyExportedMilliWattHours: counter(telegram, "2") ?? 0n,
    quality: "measured",
    authentication: "serial",
  };
  const powerIn = milli(telegram, "1-0:1.7.0");
  const powerOut = milli(telegram, "1-0:2.7.0");
  if (powerIn !== undefined || powerOut !== undefined) {
    reading.powerMilliWatts = Number((powerIn ?? 0n) - (powerOut ?? 0n));
  }
  const voltage = milli(telegram, "1-0:32.7.0");
  if (voltage !== undefined) reading.voltageMilliVolts = Number(voltage);
  const current = milli(telegram, "1-0:31.7.0");
  if (current !== undefined) reading.currentMilliAmperes = Number(current);
  return [reading];
}
