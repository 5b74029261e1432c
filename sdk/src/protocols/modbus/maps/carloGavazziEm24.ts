import type { ModbusRegisterMapInput } from "../modbusRegisterMapSchema.ts";

const MANUAL =
  "Carlo Gavazzi EM24-DIN Communication Protocol, table 'Instantaneous variables and meters'";

/**
 * Carlo Gavazzi EM24-DIN, three-phase: INT32 registers with the least
 * significant word first (the protocol's section 2.1: "In INT32, UINT32 and
 * UINT64 formats, the word order is LSW->MSW"), readable with function code
 * 3 or 4; values are integers with a fixed weight (kWh×10, W×10, V×10, A×1000).
 */
export const CARLO_GAVAZZI_EM24_MAP = {
  format: "ei-modbus-map-v1",
  id: "carlo-gavazzi-em24",
  manufacturer: "Carlo Gavazzi",
  model: "EM24-DIN",
  source: {
    document: "Carlo Gavazzi EM24-DIN Communication Protocol (Modbus RTU), version 3 revision 1",
    url: "https://www.gavazziautomation.com",
  },
  notes:
    "The LSW-first word order is from the protocol document's own data-format section (read from a copy). " +
    "Register addresses and weights (0000h V L1-N ×10, 000Ch A L1 ×1000, 0028h W sys ×10, 0031h PF sys ×1000, " +
    "0034h kWh(+) TOT ×10, 004Eh kWh(-) TOT ×10) agree across independent open-source drivers but were not " +
    "read from the vendor table itself: confirmed: false.",
  registers: [
    {
      field: "energyImported",
      address: 0x0034,
      functionCode: 4,
      type: "s32",
      wordOrder: "lsw-first",
      scale: "0.1",
      unit: "kWh",
      citation: `${MANUAL}: 0034h kWh (+) TOT, INT32, ×10`,
      confirmed: false,
    },
    {
      field: "energyExported",
      address: 0x004e,
      functionCode: 4,
      type: "s32",
      wordOrder: "lsw-first",
      scale: "0.1",
      unit: "kWh",
      citation: `${MANUAL}: 004Eh kWh (-) TOT, INT32, ×10`,
      confirmed: false,
    },
    {
      field: "power",
      address: 0x0028,
      functionCode: 4,
      type: "s32",
      wordOrder: "lsw-first",
      scale: "0.1",
      unit: "W",
      citation: `${MANUAL}: 0028h W sys, INT32, ×10`,
      confirmed: false,
    },
    {
      field: "voltage",
      address: 0x0000,
      functionCode: 4,
      type: "s32",
      wordOrder: "lsw-first",
      scale: "0.1",
      unit: "V",
      citation: `${MANUAL}: 0000h V L1-N, INT32, ×10`,
      confirmed: false,
    },
    {
      field: "current",
      address: 0x000c,
      functionCode: 4,
      type: "s32",
      wordOrder: "lsw-first",
      scale: "0.001",
      unit: "A",
      citation: `${MANUAL}: 000Ch A L1, INT32, ×1000`,
      confirmed: false,
    },
    {
      field: "powerFactor",
      address: 0x0031,
      functionCode: 4,
      type: "s16",
      scale: "1",
      unit: "per-mille",
      citation: `${MANUAL}: 0031h PF sys, INT16, ×1000`,
      confirmed: false,
    },
  ],
} as const satisfies ModbusRegisterMapInput;
