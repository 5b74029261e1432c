import type { ModbusRegisterMapInput } from "../modbusRegisterMapSchema.ts";

const MANUAL = "Eastron SDM630-Modbus V2 user manual, 1.2 Modbus Protocol Input Registers";

/**
 * Eastron SDM630 (Modbus / MID V2), three-phase: IEEE 754 float32 input
 * registers (function code 4), most significant word first.
 */
export const EASTRON_SDM630_MAP = {
  format: "ei-modbus-map-v1",
  id: "eastron-sdm630",
  manufacturer: "Eastron",
  model: "SDM630-Modbus V2",
  source: {
    document:
      "Eastron SDM630-Modbus (MID) V2 user manual, part 'Modbus Protocol', input register table",
    url: "https://www.eastron-germany.de",
  },
  notes:
    "Not checked against Eastron's PDF itself (no network here). Addresses 30001/30007/30053/30073/30075 agree " +
    "with the input-register table printed in Eastron's SDM72D-M V1.5 and SDM72CT-M manuals (same table layout, " +
    "same hex start addresses 0000/0006/0034/0048/004A) and with several independent open-source drivers; " +
    "30063 (total power factor) only with the drivers. Hence confirmed: false throughout until read on a meter.",
  registers: [
    {
      field: "energyImported",
      address: 0x0048,
      functionCode: 4,
      type: "float32",
      unit: "kWh",
      citation: `${MANUAL}: 30073 Total import kWh`,
      confirmed: false,
    },
    {
      field: "energyExported",
      address: 0x004a,
      functionCode: 4,
      type: "float32",
      unit: "kWh",
      citation: `${MANUAL}: 30075 Total export kWh`,
      confirmed: false,
    },
    {
      field: "power",
      address: 0x0034,
      functionCode: 4,
      type: "float32",
      unit: "W",
      citation: `${MANUAL}: 30053 Total system power`,
      confirmed: false,
    },
    {
      field: "voltage",
      address: 0x0000,
      functionCode: 4,
      type: "float32",
      unit: "V",
      citation: `${MANUAL}: 30001 Phase 1 line to neutral volts`,
      confirmed: false,
    },
    {
      field: "current",
      address: 0x0006,
      functionCode: 4,
      type: "float32",
      unit: "A",
      citation: `${MANUAL}: 30007 Phase 1 current`,
      confirmed: false,
    },
    {
      field: "powerFactor",
      address: 0x003e,
      functionCode: 4,
      type: "float32",
      unit: "ratio",
      citation: `${MANUAL}: 30063 Total system power factor`,
      confirmed: false,
    },
  ],
} as const satisfies ModbusRegisterMapInput;
