import { crc16Arc } from "./crc16Arc.ts";

export interface FormatDsmrTelegramParameters {
  /** Header identification after `/`, e.g. `ISk5\2MT382-1000`. */
  identification: string;
  equipmentId: string;
  timestampMs: number;
  /** Tariff 1 and 2 import registers, mWh. */
  importedMilliWattHours: readonly [bigint, bigint];
  /** Tariff 1 and 2 export registers, mWh. */
  exportedMilliWattHours: readonly [bigint, bigint];
  /** Instantaneous import / export power, mW (non-negative each). */
  powerImportMilliWatts: number;
  powerExportMilliWatts: number;
  voltageMilliVolts?: number;
  currentMilliAmperes?: number;
}

const kwh = (mwh: bigint): string =>
  `${(mwh / 1_000_000n).toString().padStart(6, "0")}.${((mwh % 1_000_000n) / 1000n).toString().padStart(3, "0")}`;
const kw = (mw: number): string =>
  `${Math.floor(mw / 1_000_000)
    .toString()
    .padStart(2, "0")}.${Math.floor((mw % 1_000_000) / 1000)
    .toString()
    .padStart(3, "0")}`;

function dsmrClock(timestampMs: number): string {
  // Winter time (UTC+1) is always a valid reading of the clock; simulators need not track DST rules.
  const local = new Date(timestampMs + 3_600_000);
  const two = (n: number): string => n.toString().padStart(2, "0");
  return `${two(local.getUTCFullYear() % 100)}${two(local.getUTCMonth() + 1)}${two(local.getUTCDate())}${two(local.getUTCHours())}${two(local.getUTCMinutes())}${two(local.getUTCSeconds())}W`;
}

/**
 * Writes a DSMR 5.0 P1 telegram with its CRC-16/ARC, CRLF line ends, as a
 * meter would send it. Used by simulators and tests so they speak the real
 * wire format; registers are truncated to the meter's 1 Wh resolution.
 *
 * @example
 * ```ts
 * formatDsmrTelegram({ identification: "ISk5\\2MT382-1000", equipmentId: "4B38", timestampMs: Date.now(),
 *   importedMilliWattHours: [1_000_000n, 0n], exportedMilliWattHours: [0n, 0n],
 *   powerImportMilliWatts: 500_000, powerExportMilliWatts: 0 });
 * ```
 */
export function formatDsmrTelegram(parameters: FormatDsmrTelegramParameters): string {
  const lines = [
    `/${parameters.identification}`,
    "",
    "1-3:0.2.8(50)",
    `0-0:1.0.0(${dsmrClock(parameters.timestampMs)})`,
    `0-0:96.1.1(${parameters.equipmentId})`,
    `1-0:1.8.1(${kwh(parameters.importedMilliWattHours[0])}*kWh)`,
    `1-0:1.8.2(${kwh(parameters.importedMilliWattHours[1])}*kWh)`,
    `1-0:2.8.1(${kwh(parameters.exportedMilliWattHours[0])}*kWh)`,
    `1-0:2.8.2(${kwh(parameters.exportedMilliWattHours[1])}*kWh)`,
    "0-0:96.14.0(0002)",
    `1-0:1.7.0(${kw(parameters.powerImportMilliWatts)}*kW)`,
    `1-0:2.7.0(${kw(parameters.powerExportMilliWatts)}*kW)`,
  ];
  if (parameters.voltageMilliVolts !== undefined) {
    lines.push(
      `1-0:32.7.0(${(parameters.voltageMilliVolts / 1000).toFixed(1).padStart(5, "0")}*V)`,
    );
  }
  if (parameters.currentMilliAmperes !== undefined) {
    lines.push(
      `1-0:31.7.0(${Math.floor(parameters.currentMilliAmperes / 1000)
        .toString()
        .padStart(3, "0")}*A)`,
    );
  }
  const body = `${lines.join("\r\n")}\r\n!`;
  return `${body}${crc16Arc(body).toString(16).toUpperCase().padStart(4, "0")}\r\n`;
}
