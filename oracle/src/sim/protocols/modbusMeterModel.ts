import { MODBUS_TYPE_WORDS } from "@energy-intelligence/sdk/protocols/modbus/modbusRegisterMapSchema";
import type {
  ModbusRegister,
  ModbusRegisterMap,
} from "@energy-intelligence/sdk/protocols/modbus/modbusRegisterMapSchema";

export interface ModbusMeterModelOptions {
  /** The register layout to serve (e.g. the shipped SDM630 or EM24 map). */
  map: ModbusRegisterMap;
  /** Active power, W; positive imports, negative exports. Counters advance with it. */
  watts?: number;
  /** Starting counters, Wh. */
  startImportWattHours?: number;
  startExportWattHours?: number;
  volts?: number;
  amps?: number;
  powerFactor?: number;
  /** Unit ids that never answer (a dead meter on the bus), for timeout tests. */
  silentUnitIds?: readonly number[];
  now?: () => number;
}

/** What a read of `length` registers gets: the words, a Modbus exception code, or no answer. */
export type ModbusMeterAnswer = { words: number[] } | { exception: number } | { silent: true };

/** The meter behind a simulator's transport (Modbus TCP or RTU). */
export interface ModbusMeterModel {
  /** The highest address served; reads past it answer exception 2 (illegal data address). */
  lastAddress: number;
  read(functionCode: 3 | 4, address: number, length: number, unitId: number): ModbusMeterAnswer;
  /** A silent unit never answers (the client's timeout fires); false brings it back. */
  setSilent: (unitId: number, silent: boolean) => void;
  /** Clears the energy counters to 0, as a meter reset from its menu (or a replaced meter) does. */
  resetCounters: () => void;
}

const UNIT_IN_SI: Readonly<Record<string, number>> = {
  Wh: 1,
  kWh: 1e3,
  MWh: 1e6,
  W: 1,
  kW: 1e3,
  V: 1,
  mV: 1e-3,
  A: 1,
  mA: 1e-3,
  ratio: 1,
  "per-mille": 1e-3,
};

/** Physical value (Wh, W, V, A, ratio) → the register's words, in the map's own type, scale and word order. */
function encode(register: ModbusRegister, physical: number): number[] {
  const raw = physical / (UNIT_IN_SI[register.unit] ?? 1) / Number(register.scale);
  const count = MODBUS_TYPE_WORDS[register.type];
  let bits: bigint;
  if (register.type === "float32") {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, raw);
    bits = BigInt(view.getUint32(0));
  } else {
    bits = BigInt.asUintN(count * 16, BigInt(Math.round(raw)));
  }
  const words: number[] = [];
  for (let i = count - 1; i >= 0; i -= 1) words.push(Number((bits >> BigInt(16 * i)) & 0xffffn));
  return register.wordOrder === "lsw-first" ? words.reverse() : words;
}

/**
 * An energy meter serving a declared register map, encoding its state the
 * way the map says (float32 or scaled integers, either word order) on the
 * map's function codes. The energy counters advance with the configured power
 * on every read, in whole watt-hours as a meter's do. Unmapped addresses up
 * to the last mapped one read 0 (as on SDM meters), beyond it exception 2;
 * silent unit ids never answer.
 */
export function createModbusMeterModel(options: ModbusMeterModelOptions): ModbusMeterModel {
  const now = options.now ?? Date.now;
  let started = now();
  let startImportWattHours = options.startImportWattHours ?? 250_000;
  let startExportWattHours = options.startExportWattHours ?? 0;
  const watts = options.watts ?? 1500;
  const silent = new Set(options.silentUnitIds ?? []);
  const lastAddress = Math.max(
    ...options.map.registers.map((r) => r.address + MODBUS_TYPE_WORDS[r.type] - 1),
  );

  function image(functionCode: 3 | 4): number[] {
    const hours = (now() - started) / 3_600_000;
    const physical: Record<string, number> = {
      energyImported: Math.floor(startImportWattHours + Math.max(watts, 0) * hours),
      energyExported: Math.floor(startExportWattHours + Math.max(-watts, 0) * hours),
      power: watts,
      voltage: options.volts ?? 230.4,
      current: options.amps ?? 6.52,
      powerFactor: options.powerFactor ?? 0.98,
    };
    const words = new Array<number>(lastAddress + 1).fill(0);
    for (const register of options.map.registers) {
      if (register.functionCode !== functionCode) continue;
      words.splice(
        register.address,
        MODBUS_TYPE_WORDS[register.type],
        ...encode(register, physical[register.field] ?? 0),
      );
    }
    return words;
  }

  return {
    lastAddress,
    read(functionCode, address, length, unitId) {
      if (silent.has(unitId)) return { silent: true };
      if (address + length - 1 > lastAddress) return { exception: 2 };
      return { words: image(functionCode).slice(address, address + length) };
    },
    setSilent: (unitId, value) => {
      if (value) silent.add(unitId);
      else silent.delete(unitId);
    },
    resetCounters: () => {
      started = now();
      startImportWattHours = 0;
      startExportWattHours = 0;
    },
  };
}
