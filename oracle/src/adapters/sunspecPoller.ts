import {
  ProtocolFrameError,
  type ProtocolReading,
  pollErrorToFrameError,
  sunspecModelsToReadings,
  walkSunSpecModels,
} from "@energy-intelligence/sdk/protocols/index";
import { abortable } from "./abortable.ts";
import type { DevicePoller } from "./pollScheduler.ts";
import { ModbusConnection } from "./modbusConnection.ts";

/**
 * Polls a SunSpec device over Modbus TCP: walks the model chain from the
 * `SunS` marker each poll (the device may have been reconfigured; the walk
 * is a handful of reads) and keeps the energy counters. With
 * `serialNumber` set, a device with another model-1 serial at that address
 * is refused as `bad-model`, so a swapped inverter never continues another
 * one's series.
 */
export function createSunSpecPoller(options: {
  host: string;
  port: number;
  unitId: number;
  timeoutMs: number;
  serialNumber?: string | undefined;
}): DevicePoller {
  const connection = new ModbusConnection(
    { transport: "tcp", host: options.host, port: options.port },
    options.timeoutMs,
  );
  const where = connection.describe(options.unitId);
  return {
    async poll(signal) {
      const run = async (): Promise<ProtocolReading[]> => {
        const client = await connection.client(options.unitId);
        const models = await walkSunSpecModels(async (address, count) => {
          try {
            const response = await client.readHoldingRegisters(address, count);
            return Uint16Array.from(response.data);
          } catch (error) {
            throw pollErrorToFrameError("sunspec", error, `${where} @${address}`) ?? error;
          }
        });
        const readings = sunspecModelsToReadings(models, { timestampMs: Date.now() });
        const serial = readings[0]?.deviceId;
        if (options.serialNumber !== undefined && serial !== options.serialNumber) {
          throw new ProtocolFrameError(
            "sunspec",
            "bad-model",
            where,
            `serial number ${serial ?? "(none)"}, configured ${options.serialNumber}`,
          );
        }
        return readings;
      };
      return abortable(run(), signal);
    },
    reset: () => connection.reset(),
    close: () => connection.reset(),
  };
}
