import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import type { ProtocolReading } from "../shared/ProtocolReading.ts";
import { divideRounded } from "../shared/divideRounded.ts";
import {
  APC_RPDU2_OIDS,
  RARITAN_PDU2_OIDS,
  RARITAN_SENSOR_TYPE,
  SNMP_TYPE,
} from "./snmpPduOids.ts";
import type { SnmpPduProfile } from "./snmpPduOids.ts";

/** One varbind as any SNMP client reports it: OID text, BER type tag, value. */
export interface SnmpVarbind {
  oid: string;
  type: number;
  /** number or bigint for integer types; bytes (Counter64 as net-snmp gives it) or string otherwise. */
  value: unknown;
}

interface Measurement {
  energyMilliWattHours?: bigint;
  powerMilliWatts?: bigint;
  voltageMilliVolts?: bigint;
  currentMilliAmperes?: bigint;
  powerFactorPerMille?: bigint;
}

const INTEGER_TYPES = new Set<number>([
  SNMP_TYPE.Integer,
  SNMP_TYPE.Counter32,
  SNMP_TYPE.Gauge32,
  SNMP_TYPE.Counter64,
]);

function integerValue(varbind: SnmpVarbind, allowed: readonly number[]): bigint | undefined {
  if (
    varbind.type === SNMP_TYPE.NoSuchObject ||
    varbind.type === SNMP_TYPE.NoSuchInstance ||
    varbind.type === SNMP_TYPE.EndOfMibView
  ) {
    return undefined; // the agent does not implement it: absent, not zero
  }
  if (!allowed.includes(varbind.type) || !INTEGER_TYPES.has(varbind.type)) {
    throw new ProtocolFrameError(
      "snmp",
      "wrong-type",
      varbind.oid,
      `BER type ${varbind.type}, expected ${allowed.join(" or ")}`,
    );
  }
  const { value } = varbind;
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (value instanceof Uint8Array && value.length <= 8) {
    let n = 0n;
    for (const byte of value) n = (n << 8n) | BigInt(byte);
    return n;
  }
  throw new ProtocolFrameError("snmp", "bad-value", varbind.oid, `not an integer: ${typeof value}`);
}

/** The index after a column prefix, as integers; undefined when the OID is not under it. */
function indexUnder(oid: string, column: string): number[] | undefined {
  const normalised = oid.startsWith(".") ? oid.slice(1) : oid;
  if (!normalised.startsWith(`${column}.`)) return undefined;
  const parts = normalised.slice(column.length + 1).split(".");
  if (parts.some((p) => !/^\d{1,10}$/.test(p))) return undefined;
  return parts.map(Number);
}

function entry(table: Map<string, Measurement>, key: string): Measurement {
  let found = table.get(key);
  if (found === undefined) {
    found = {};
    table.set(key, found);
  }
  return found;
}

/** APC marks an unsupported measurement with -1: absent, never a negative reading. */
function apc(value: bigint | undefined, factor: bigint): bigint | undefined {
  return value === undefined || value === -1n ? undefined : value * factor;
}

function decodeApc(varbinds: readonly SnmpVarbind[]): Map<string, Measurement> {
  const table = new Map<string, Measurement>();
  const o = APC_RPDU2_OIDS;
  const columns: [string, keyof Measurement, "unit" | "outlet", bigint][] = [
    [o.deviceStatusEnergy, "energyMilliWattHours", "unit", 100_000n], // 0.1 kWh
    [o.deviceStatusPower, "powerMilliWatts", "unit", 10_000n], // 0.01 kW
    [o.outletMeteredStatusEnergy, "energyMilliWattHours", "outlet", 100_000n],
    [o.outletMeteredStatusPower, "powerMilliWatts", "outlet", 1_000n], // W
    [o.outletMeteredStatusCurrent, "currentMilliAmperes", "outlet", 100n], // 0.1 A
  ];
  for (const varbind of varbinds) {
    for (const [column, field, kind, factor] of columns) {
      const index = indexUnder(varbind.oid, column);
      if (index?.length !== 1) continue;
      const value = apc(integerValue(varbind, [SNMP_TYPE.Integer]), factor);
      if (value !== undefined) entry(table, `${kind}.${index[0]}`)[field] = value;
    }
  }
  return table;
}

const RARITAN_FIELDS: Readonly<Record<number, [keyof Measurement, bigint]>> = {
  [RARITAN_SENSOR_TYPE.activeEnergy]: ["energyMilliWattHours", 1_000n],
  [RARITAN_SENSOR_TYPE.activePower]: ["powerMilliWatts", 1_000n],
  [RARITAN_SENSOR_TYPE.rmsVoltage]: ["voltageMilliVolts", 1_000n],
  [RARITAN_SENSOR_TYPE.rmsCurrent]: ["currentMilliAmperes", 1_000n],
  [RARITAN_SENSOR_TYPE.powerFactor]: ["powerFactorPerMille", 1_000n],
};

function decodeRaritan(varbinds: readonly SnmpVarbind[]): Map<string, Measurement> {
  const o = RARITAN_PDU2_OIDS;
  const digits = new Map<string, bigint>();
  for (const varbind of varbinds) {
    for (const [column, kind] of [
      [o.inletSensorDecimalDigits, "unit"],
      [o.outletSensorDecimalDigits, "outlet"],
    ] as const) {
      const index = indexUnder(varbind.oid, column);
      if (index?.length !== 3) continue;
      const value = integerValue(varbind, [SNMP_TYPE.Gauge32, SNMP_TYPE.Integer]);
      if (value === undefined) continue;
      if (value < 0n || value > 9n) {
        throw new ProtocolFrameError("snmp", "bad-value", varbind.oid, `decimal digits ${value}`);
      }
      digits.set(`${kind}.${index.join(".")}`, value);
    }
  }
  const table = new Map<string, Measurement>();
  for (const varbind of varbinds) {
    for (const [column, kind] of [
      [o.measurementsInletSensorValue, "unit"],
      [o.measurementsOutletSensorValue, "outlet"],
    ] as const) {
      const index = indexUnder(varbind.oid, column);
      if (index?.length !== 3) continue;
      const [pduId, entityId, sensorType] = index as [number, number, number];
      const field = RARITAN_FIELDS[sensorType];
      if (field === undefined) continue; // temperature, frequency…: not energy data
      const value = integerValue(varbind, [SNMP_TYPE.Gauge32]);
      if (value === undefined) continue;
      const decimals = digits.get(`${kind}.${index.join(".")}`);
      if (decimals === undefined) {
        // Without the digits 1234 could be 1234 Wh or 12.34 Wh: refuse rather than guess.
        throw new ProtocolFrameError(
          "snmp",
          "missing-field",
          varbind.oid,
          "no …SensorDecimalDigits for this sensor",
        );
      }
      const key = pduId === 1 ? `${kind}.${entityId}` : `${kind}.${entityId}.pdu-${pduId}`;
      entry(table, key)[field[0]] = divideRounded(value * field[1], 10n ** decimals);
    }
  }
  return table;
}

function safe(value: bigint | undefined, oid: string): number | undefined {
  if (value === undefined) return undefined;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ProtocolFrameError("snmp", "bad-value", oid, `${value} out of range`);
  }
  return Number(value);
}

/**
 * Turns the varbinds of a PDU poll (walks of the columns snmpPduPollOids
 * lists) into readings: channel 0 for the PDU's total (APC device 1, Raritan
 * inlet 1), channel n for outlet n. Further APC units in a daisy chain and
 * further Raritan inlets or cascaded PDUs get their own device id
 * (`<deviceId>/unit-2`, `<deviceId>/inlet-2`, `…/pdu-2`) so channel numbers
 * stay outlet numbers. Only rows with an energy counter make a reading.
 * APC's -1 and SNMPv2 noSuchObject/noSuchInstance mean "not measured" and
 * are left out rather than read as zero.
 *
 * @throws {ProtocolFrameError} wrong-type (a value of a type the MIB does not declare), bad-value (not an
 *   integer, a negative counter, out of range), missing-field (a Raritan value without its decimal digits).
 * @example
 * ```ts
 * snmpVarbindsToReadings("apc-rpdu2", varbinds, { deviceId: "ZA1234567890", timestampMs: Date.now() });
 * ```
 */
export function snmpVarbindsToReadings(
  profile: SnmpPduProfile,
  varbinds: readonly SnmpVarbind[],
  parameters: { deviceId: string; timestampMs: number },
): ProtocolReading[] {
  const table = profile === "apc-rpdu2" ? decodeApc(varbinds) : decodeRaritan(varbinds);
  const readings: ProtocolReading[] = [];
  for (const [key, m] of table) {
    if (m.energyMilliWattHours === undefined) continue;
    if (m.energyMilliWattHours < 0n) {
      throw new ProtocolFrameError(
        "snmp",
        "bad-value",
        key,
        `negative energy ${m.energyMilliWattHours} mWh`,
      );
    }
    const [kind, number, cascade] = key.split(".") as [string, string, string | undefined];
    const id = Number(number);
    let deviceId =
      cascade === undefined ? parameters.deviceId : `${parameters.deviceId}/${cascade}`;
    let channel = id;
    if (kind === "unit") {
      channel = 0;
      if (id !== 1) deviceId = `${deviceId}/${profile === "apc-rpdu2" ? "unit" : "inlet"}-${id}`;
    }
    const reading: ProtocolReading = {
      deviceId,
      channel,
      timestampMs: parameters.timestampMs,
      energyImportedMilliWattHours: m.energyMilliWattHours,
      energyExportedMilliWattHours: 0n,
      quality: "measured",
      authentication: "polled",
    };
    const power = safe(m.powerMilliWatts, key);
    if (power !== undefined) reading.powerMilliWatts = power;
    const volts = safe(m.voltageMilliVolts, key);
    if (volts !== undefined) reading.voltageMilliVolts = volts;
    const amps = safe(m.currentMilliAmperes, key);
    if (amps !== undefined) reading.currentMilliAmperes = amps;
    const pf = safe(m.powerFactorPerMille, key);
    if (pf !== undefined) reading.powerFactorPerMille = pf;
    readings.push(reading);
  }
  return readings.sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.channel - b.channel);
}
