import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import type { ProtocolReading } from "../shared/ProtocolReading.ts";
import { divideRounded } from "../shared/divideRounded.ts";
import { float32ToDecimalText } from "../shared/float32ToDecimalText.ts";
import { parseDecimalFraction } from "../shared/parseDecimalFraction.ts";
import type { DecimalFraction } from "../shared/parseDecimalFraction.ts";
import { MODBUS_TYPE_WORDS } from "./modbusRegisterMapSchema.ts";
import type { ModbusRegister, ModbusRegisterMap } from "./modbusRegisterMapSchema.ts";

/** Words read from a device: one block per read request. */
export interface ModbusRegisterBlock {
  functionCode: 3 | 4;
  address: number;
  words: ArrayLike<number>;
}

// Each field's reading unit expressed in the declared unit: kWh → mWh is ×10^6.
const UNIT_TO_READING: Readonly<Record<string, bigint>> = {
  Wh: 1_000n,
  kWh: 1_000_000n,
  MWh: 1_000_000_000n,
  W: 1_000n,
  kW: 1_000_000n,
  V: 1_000n,
  mV: 1n,
  A: 1_000n,
  mA: 1n,
  ratio: 1_000n,
  "per-mille": 1n,
};

function registerPath(register: ModbusRegister): string {
  return `${register.field}@fc${register.functionCode}:${register.address}`;
}

function wordsOf(register: ModbusRegister, blocks: readonly ModbusRegisterBlock[]): number[] {
  const count = MODBUS_TYPE_WORDS[register.type];
  for (const block of blocks) {
    const offset = register.address - block.address;
    if (
      block.functionCode !== register.functionCode ||
      offset < 0 ||
      offset + count > block.words.length
    ) {
      continue;
    }
    const words: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const word = block.words[offset + i];
      if (word === undefined || !Number.isInteger(word) || word < 0 || word > 0xffff) {
        throw new ProtocolFrameError(
          "modbus",
          "bad-value",
          registerPath(register),
          `word ${String(word)} is not 0…65535`,
        );
      }
      words.push(word);
    }
    // lsw-first devices send the least significant word first; put it last.
    return register.wordOrder === "lsw-first" ? words.reverse() : words;
  }
  throw new ProtocolFrameError(
    "modbus",
    "truncated",
    registerPath(register),
    `no block holds its ${count} registers`,
  );
}

/** The raw register value as an exact decimal; undefined for a float32 NaN (the usual "not available"). */
function rawValue(register: ModbusRegister, words: readonly number[]): DecimalFraction | undefined {
  let combined = 0n;
  for (const word of words) combined = (combined << 16n) | BigInt(word);
  switch (register.type) {
    case "u16":
    case "u32":
    case "u64":
      return { numerator: combined, decimals: 0 };
    case "s16":
      return { numerator: BigInt.asIntN(16, combined), decimals: 0 };
    case "s32":
      return { numerator: BigInt.asIntN(32, combined), decimals: 0 };
    case "float32": {
      const view = new DataView(new ArrayBuffer(4));
      view.setUint32(0, Number(combined));
      const text = float32ToDecimalText(view.getFloat32(0));
      return text === undefined ? undefined : parseDecimalFraction(text);
    }
  }
}

/** value × scale × unit factor, rounded half away from zero to the reading's integer unit. */
function toReadingUnit(register: ModbusRegister, value: DecimalFraction): bigint {
  const scale = parseDecimalFraction(register.scale) ?? { numerator: 1n, decimals: 0 };
  const factor = UNIT_TO_READING[register.unit] ?? 1n;
  return divideRounded(
    value.numerator * scale.numerator * factor,
    10n ** BigInt(value.decimals + scale.decimals),
  );
}

function toSafeNumber(register: ModbusRegister, value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ProtocolFrameError(
      "modbus",
      "bad-value",
      registerPath(register),
      `${value} out of range`,
    );
  }
  return Number(value);
}

/**
 * Decodes the registers a declared map names into one ProtocolReading:
 * each register's words are put in order (word order), read as its type,
 * multiplied by its exact decimal scale and converted to the reading's
 * integer unit (mWh, mW, mV, mA, ‰) with one rounding at the end. Float32
 * registers are read as the shortest decimal that round-trips (see
 * float32ToDecimalText), so a float kWh counter gives the figure on the
 * meter's display rather than binary noise.
 *
 * @throws {ProtocolFrameError} truncated (a register in no block), bad-value (a word outside 16 bits, an energy
 *   counter that is negative or NaN, a value past 2^53).
 * @example
 * ```ts
 * const reads = planModbusReads(map);
 * const blocks = await Promise.all(reads.map(async (r) => ({ ...r, words: await read(r) })));
 * modbusRegistersToReading(map, blocks, { deviceId: "sdm630-12", timestampMs: Date.now() });
 * ```
 */
export function modbusRegistersToReading(
  map: ModbusRegisterMap,
  blocks: readonly ModbusRegisterBlock[],
  parameters: { deviceId: string; channel?: number; timestampMs: number },
): ProtocolReading {
  const values = new Map<string, bigint>();
  for (const register of map.registers) {
    const value = rawValue(register, wordsOf(register, blocks));
    if (value === undefined) continue;
    values.set(register.field, toReadingUnit(register, value));
  }
  for (const field of ["energyImported", "energyExported"] as const) {
    const energy = values.get(field);
    const register = map.registers.find((r) => r.field === field);
    if (register !== undefined && (energy === undefined || energy < 0n)) {
      // A counter that reads negative or NaN is a fault, and skipping it would store a false 0.
      throw new ProtocolFrameError(
        "modbus",
        "bad-value",
        registerPath(register),
        energy === undefined ? "counter not available (NaN)" : `counter negative: ${energy} mWh`,
      );
    }
  }
  const reading: ProtocolReading = {
    deviceId: parameters.deviceId,
    channel: parameters.channel ?? 0,
    timestampMs: parameters.timestampMs,
    energyImportedMilliWattHours: values.get("energyImported") ?? 0n,
    energyExportedMilliWattHours: values.get("energyExported") ?? 0n,
    quality: "measured",
    authentication: "polled",
  };
  for (const register of map.registers) {
    const value = values.get(register.field);
    if (value === undefined) continue;
    if (register.field === "power") reading.powerMilliWatts = toSafeNumber(register, value);
    if (register.field === "voltage") reading.voltageMilliVolts = toSafeNumber(register, value);
    if (register.field === "current") reading.currentMilliAmperes = toSafeNumber(register, value);
    if (register.field === "powerFactor")
      reading.powerFactorPerMille = toSafeNumber(register, value);
  }
  return reading;
}
