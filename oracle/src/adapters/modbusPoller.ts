import {
  CARLO_GAVAZZI_EM24_MAP,
  EASTRON_SDM630_MAP,
  type ModbusRegisterBlock,
  type ModbusRegisterMap,
  type ProtocolReading,
  modbusRegistersToReading,
  parseModbusRegisterMap,
  planModbusReads,
  pollErrorToFrameError,
} from "@energy-intelligence/sdk/protocols/index";
import { abortable } from "./abortable.ts";
import type { ModbusEndpoint } from "./modbusConnection.ts";
import { ModbusConnection } from "./modbusConnection.ts";
import type { DevicePoller } from "./pollScheduler.ts";

const SHIPPED_MAPS = {
  "eastron-sdm630": EASTRON_SDM630_MAP,
  "carlo-gavazzi-em24": CARLO_GAVAZZI_EM24_MAP,
} as const;

/** The register map an adapter configuration names or carries, checked. */
export function resolveModbusMap(
  map: keyof typeof SHIPPED_MAPS | ModbusRegisterMap,
): ModbusRegisterMap {
  return typeof map === "string" ? parseModbusRegisterMap(SHIPPED_MAPS[map]) : map;
}

/**
 * Polls a generic Modbus meter (TCP or RTU) through its register map: the
 * planned block reads, then the exact decode. A Modbus exception is
 * `modbus-exception` with its code, a unit that does not answer `timeout`.
 */
export function createModbusPoller(options: {
  endpoint: ModbusEndpoint;
  unitId: number;
  map: ModbusRegisterMap;
  timeoutMs: number;
  /** The id readings carry before they are mapped to the registered device. */
  label: string;
}): DevicePoller {
  const connection = new ModbusConnection(options.endpoint, options.timeoutMs);
  const plan = planModbusReads(options.map);
  const where = connection.describe(options.unitId);
  return {
    async poll(signal) {
      const run = async (): Promise<ProtocolReading[]> => {
        const client = await connection.client(options.unitId);
        const blocks: ModbusRegisterBlock[] = [];
        for (const read of plan) {
          try {
            const response =
              read.functionCode === 4
                ? await client.readInputRegisters(read.address, read.count)
                : await client.readHoldingRegisters(read.address, read.count);
            blocks.push({ ...read, words: response.data });
          } catch (error) {
            throw (
              pollErrorToFrameError(
                "modbus",
                error,
                `${where} fc${read.functionCode}@${read.address}`,
              ) ?? error
            );
          }
        }
        return [
          modbusRegistersToReading(options.map, blocks, {
            deviceId: options.label,
            timestampMs: Date.now(),
          }),
        ];
      };
      return abortable(run(), signal);
    },
    reset: () => connection.reset(),
    close: () => connection.reset(),
  };
}
