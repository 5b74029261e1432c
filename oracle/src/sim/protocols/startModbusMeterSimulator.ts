import ModbusRTU from "modbus-serial";
import { freeLoopbackPort } from "./freeLoopbackPort.ts";
import {
  type ModbusMeterModel,
  type ModbusMeterModelOptions,
  createModbusMeterModel,
} from "./modbusMeterModel.ts";

export interface ModbusMeterSimulatorOptions extends ModbusMeterModelOptions {
  /** TCP port on 127.0.0.1; default a free one. */
  port?: number;
}

export interface ModbusMeterSimulator extends Omit<ModbusMeterModel, "read"> {
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A Modbus TCP energy meter on 127.0.0.1 and a free port that serves any
 * declared register map (see {@link createModbusMeterModel}): unmapped
 * addresses up to the last mapped one read 0, beyond it exception 2; unit ids
 * listed as silent never answer, so a client sees its own timeout.
 *
 * @example
 * ```ts
 * const sim = await startModbusMeterSimulator({ map: parseModbusRegisterMap(EASTRON_SDM630_MAP), watts: 2000 });
 * ```
 */
export async function startModbusMeterSimulator(
  options: ModbusMeterSimulatorOptions,
): Promise<ModbusMeterSimulator> {
  const meter = createModbusMeterModel(options);

  function serve(functionCode: 3 | 4) {
    return (
      address: number,
      length: number,
      unitId: number,
      callback: (error: Error | null, values: number[]) => void,
    ): void => {
      const answer = meter.read(functionCode, address, length, unitId);
      if ("silent" in answer) return; // never answer: the client's timeout fires
      if ("exception" in answer) {
        // modbus-serial indexes the values even on error, so hand it an array.
        const exception: Error & { modbusErrorCode?: number } = new Error("Illegal data address");
        exception.modbusErrorCode = answer.exception;
        callback(exception, new Array<number>(length).fill(0));
        return;
      }
      callback(null, answer.words);
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
    lastAddress: meter.lastAddress,
    setSilent: meter.setSilent,
    resetCounters: meter.resetCounters,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
