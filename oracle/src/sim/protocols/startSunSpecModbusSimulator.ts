import { createServer } from "node:net";
import ModbusRTU from "modbus-serial";

export interface SunSpecModbusSimulatorOptions {
  /** Inverter AC output, W (generation). */
  inverterWatts?: number;
  /** Meter import power, W. */
  meterWatts?: number;
  /** Starting counters, Wh. */
  inverterStartWattHours?: number;
  meterStartImportWattHours?: number;
  /** Base of the SunS marker: 40000 (default), 0 or 50000. */
  baseAddress?: number;
  /** TCP port on 127.0.0.1; default a free one. */
  port?: number;
  now?: () => number;
}

export interface SunSpecModbusSimulator {
  host: string;
  port: number;
  /** Unit id serving model 1 + 103 (three-phase inverter). */
  inverterUnitId: number;
  /** Unit id serving model 1 + 203 (three-phase wye meter). */
  meterUnitId: number;
  close(): Promise<void>;
}

function ascii(text: string, registers: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < registers * 2; i += 2)
    out.push(((text.charCodeAt(i) || 0) << 8) | (text.charCodeAt(i + 1) || 0));
  return out;
}

function common(model: string, serial: string): number[] {
  // Model 1, L = 66: Mn, Md, Opt, Vr, SN, DA, Pad.
  return [
    1,
    66,
    ...ascii("Energy-Intelligence", 16),
    ...ascii(model, 16),
    ...ascii("", 8),
    ...ascii("1.0.0", 8),
    ...ascii(serial, 16),
    1,
    0x8000,
  ];
}

const u16 = (n: number): number => n & 0xffff;
const acc32 = (n: number): [number, number] => [Math.floor(n / 0x10000) & 0xffff, n & 0xffff];

async function freePort(): Promise<number> {
  // modbus-serial treats port 0 as "use 502", so ask the OS for a free port first.
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === "object" && address !== null ? address.port : 0);
      });
    });
  });
}

/**
 * A SunSpec Modbus TCP device on 127.0.0.1 and a free port: unit 1 is a
 * three-phase inverter (common model 1 + model 103, integer + scale factor),
 * unit 2 a three-phase meter (model 1 + model 203). Energy counters advance
 * with the configured power on every read, as a real device's do. Reads
 * outside the register image answer Modbus exception 2 (illegal data
 * address), which is how a client probing 0 and 50000 learns to skip them.
 *
 * @example
 * ```ts
 * const sim = await startSunSpecModbusSimulator({ inverterWatts: 5000 });
 * ```
 */
export async function startSunSpecModbusSimulator(
  options: SunSpecModbusSimulatorOptions = {},
): Promise<SunSpecModbusSimulator> {
  const now = options.now ?? Date.now;
  const started = now();
  const base = options.baseAddress ?? 40000;
  const inverterWatts = options.inverterWatts ?? 4200;
  const meterWatts = options.meterWatts ?? 1500;

  function image(unitId: number): number[] {
    const hours = (now() - started) / 3_600_000;
    if (unitId === 1) {
      const wh = Math.floor((options.inverterStartWattHours ?? 1_000_000) + inverterWatts * hours);
      const m103 = new Array<number>(50).fill(0x8000);
      m103[0] = 183; // A = 18.3 A with A_SF -1
      m103[4] = u16(-1);
      m103[8] = 2301; // PhVphA = 230.1 V with V_SF -1
      m103[11] = u16(-1);
      m103[12] = Math.round(inverterWatts / 10); // W with W_SF 1
      m103[13] = 1;
      [m103[22], m103[23]] = acc32(wh); // WH with WH_SF 0
      m103[24] = 0;
      return [0x5375, 0x6e53, ...common("SIM-INV-103", "INV-0001"), 103, 50, ...m103, 0xffff, 0];
    }
    const imported = Math.floor(
      (options.meterStartImportWattHours ?? 500_000) + meterWatts * hours,
    );
    const m203 = new Array<number>(105).fill(0x8000);
    m203[0] = 65; // A = 6.5 with A_SF -1
    m203[4] = u16(-1);
    m203[6] = 2302; // PhVphA
    m203[13] = u16(-1);
    m203[16] = meterWatts; // W with W_SF 0
    m203[20] = 0;
    [m203[36], m203[37]] = acc32(0); // TotWhExp: not accumulated
    [m203[44], m203[45]] = acc32(Math.floor(imported / 10)); // TotWhImp with TotWh_SF 1 (10 Wh steps)
    m203[52] = 1;
    return [0x5375, 0x6e53, ...common("SIM-METER-203", "MTR-0001"), 203, 105, ...m203, 0xffff, 0];
  }

  function read(address: number, length: number, unitId: number): number[] {
    const registers = image(unitId);
    const offset = address - base;
    if (offset < 0 || offset + length > registers.length || (unitId !== 1 && unitId !== 2)) {
      throw Object.assign(new Error("Illegal data address"), { modbusErrorCode: 2 });
    }
    return registers.slice(offset, offset + length);
  }

  const port = options.port ?? (await freePort());
  const server = new ModbusRTU.ServerTCP(
    {
      getHoldingRegister: (address: number, unitId: number) => read(address, 1, unitId)[0] ?? 0,
      getMultipleHoldingRegisters: (address: number, length: number, unitId: number) =>
        read(address, length, unitId),
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
    inverterUnitId: 1,
    meterUnitId: 2,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
