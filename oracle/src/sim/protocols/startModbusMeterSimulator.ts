import ModbusRTU from "modbus-serial";
import { MODBUS_TYPE_WORDS } from "@energy-intelligence/sdk/protocols/modbus/modbusRegisterMapSchema";
import type {
  ModbusRegister,
  ModbusRegisterMap,
} from "@energy-intelligence/sdk/protocols/modbus/modbusRegisterMapSchema";
import { freeLoopbackPort } from "./freeLoopbackPort.ts";

export interface ModbusMeterSimulatorOptions {
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
  /** TCP port on 127.0.0.1; default a free one. */
  port?: number;
}

export interface ModbusMeterSimulator {
  host: string;
  port: number;
  /** The highest address served; reads past it answer exception 2 (illegal data address). */
  lastAddress: number;
  /** A silent unit never answers (the client's timeout fires); false brings it back. */
  setSilent(unitId: number, silent: boolean): void;
  /** Clears the energy counters to 0, as a meter reset from its menu (or a replaced meter) does. */
  resetCounters(): void;
  close(): Promise<void>;
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
 * A Modbus TCP energy meter on 127.0.0.1 and a free port that serves any
 * declared register map, encoding its state the way the map says (float32
 * or scaled integers, either word order) on the map's function codes. The
 * energy counters advance with the configured power on every read, in whole
 * watt-hours as a meter's do. Unmapped addresses up to the last mapped one
 * read 0 (as on SDM meters), beyond it exception 2; unit ids listed as
 * silent never answer, so a client sees its own timeout.
 *
 * @example
 * ```ts
 * const sim = await startModbusMeterSimulator({ map: parseModbusRegisterMap(EASTRON_SDM630_MAP), watts: 2000 });
 * ```
 */
export async function startModbusMeterSimulator(
  options: ModbusMeterSimulatorOptions,
): Promise<ModbusMeterSimulator> {
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

  function serve(functionCode: 3 | 4) {
    return (
      address: number,
      length: number,
      unitId: number,
      callback: (error: Error | null, values: number[]) => void,
    ): void => {
      if (silent.has(unitId)) return; // never answer: the client's timeout fires
      if (address + length - 1 > lastAddress) {
        // modbus-serial indexes the values even on error, so hand it an array.
        const illegalAddress: Error & { modbusErrorCode?: number } = new Error(
          "Illegal data address",
        );
        illegalAddress.modbusErrorCode = 2;
        callback(illegalAddress, new Array<number>(length).fill(0));
        return;
      }
      callback(null, image(functionCode).slice(address, address + length));
    };
  }
  const single =
    (functionCode: 3 | 4) =>
    (
      address: number,
      unitId: number,
      callback: (error: Error | null, value: number) => void,
    ): void => {
      serve(functionCode)(address, 1, unitId, (error, values) => {
        callback(error, values[0] ?? 0);
      });
    };

  const port = options.port ?? (await freeLoopbackPort());
  const server = new ModbusRTU.ServerTCP(
    {
      getInputRegister: single(4),
      getMultipleInputRegisters: serve(4),
      getHoldingRegister: single(3),
      getMultipleHoldingRegisters: serve(3),
    },
    { host: "127.0.0.1", port, unitID: 255 },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("initialized", resolve);
    server.once("serverError", reject);
  });
  return {
    host: "127.0.0.1",
    port,
    lastAddress,
    setSilent: (unitId, value) => {
      if (value) silent.add(unitId);
      else silent.delete(unitId);
    },
    resetCounters: () => {
      started = now();
      startImportWattHours = 0;
      startExportWattHours = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
