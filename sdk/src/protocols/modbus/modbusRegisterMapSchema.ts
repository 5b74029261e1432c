import { z } from "zod";

/** What a register measures, in the terms of a ProtocolReading. */
export const MODBUS_REGISTER_FIELDS = [
  "energyImported",
  "energyExported",
  "power",
  "voltage",
  "current",
  "powerFactor",
] as const;
export type ModbusRegisterField = (typeof MODBUS_REGISTER_FIELDS)[number];

/** Units a register may be declared in, per field; the decoder converts them to the reading's integer units. */
export const MODBUS_FIELD_UNITS = {
  energyImported: ["Wh", "kWh", "MWh"],
  energyExported: ["Wh", "kWh", "MWh"],
  power: ["W", "kW"],
  voltage: ["V", "mV"],
  current: ["A", "mA"],
  powerFactor: ["ratio", "per-mille"],
} as const satisfies Record<ModbusRegisterField, readonly string[]>;

/** Register widths in 16-bit words. */
export const MODBUS_TYPE_WORDS = {
  u16: 1,
  s16: 1,
  u32: 2,
  s32: 2,
  u64: 4,
  float32: 2,
} as const;

const decimalText = z
  .string()
  .regex(/^\d{1,12}(?:\.\d{1,12})?$/, "a positive plain decimal such as 0.1 or 1000");

/** One register (or register pair/quad) of a meter, as its manual lists it. */
export const modbusRegisterSchema = z
  .object({
    field: z.enum(MODBUS_REGISTER_FIELDS),
    /** Zero-based protocol address (the manual's 30001/40001 numbering minus its offset). */
    address: z.number().int().min(0).max(0xffff),
    /** 3 = read holding registers, 4 = read input registers. */
    functionCode: z.union([z.literal(3), z.literal(4)]),
    type: z.enum(["u16", "s16", "u32", "s32", "u64", "float32"]),
    /** `msw-first` (big-endian words, Modbus's usual) or `lsw-first` (Carlo Gavazzi, many Chinese meters). */
    wordOrder: z.enum(["msw-first", "lsw-first"]).default("msw-first"),
    /** Multiplier from the raw value to `unit`, as exact decimal text ("0.1" for a ×10 register). */
    scale: decimalText.default("1"),
    unit: z.string(),
    /** Where in the vendor's manual this register is listed. */
    citation: z.string().min(1),
    /** false when the address or scaling was taken from a secondary source and not checked against the vendor's manual. */
    confirmed: z.boolean(),
  })
  .superRefine((register, context) => {
    const units: readonly string[] = MODBUS_FIELD_UNITS[register.field];
    if (!units.includes(register.unit)) {
      context.addIssue({
        code: "custom",
        path: ["unit"],
        message: `${register.field} takes ${units.join(", ")}, not ${register.unit}`,
      });
    }
    if (register.address + MODBUS_TYPE_WORDS[register.type] > 0x10000) {
      context.addIssue({ code: "custom", path: ["address"], message: "runs past register 65535" });
    }
    if (!/[1-9]/.test(register.scale)) {
      context.addIssue({ code: "custom", path: ["scale"], message: "scale must not be zero" });
    }
  });

/**
 * A declared register map for one meter model (format `ei-modbus-map-v1`).
 * Only energy counters make readings (power alone is integrated later and
 * flagged estimated), so a map must declare at least one of them; every
 * field appears at most once.
 */
export const modbusRegisterMapSchema = z
  .object({
    format: z.literal("ei-modbus-map-v1"),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    manufacturer: z.string().min(1),
    model: z.string().min(1),
    /** The vendor document the addresses come from: title, version/date, and where to get it. */
    source: z.object({
      document: z.string().min(1),
      version: z.string().optional(),
      url: z.string().optional(),
    }),
    /** Free text: what was and was not checked. */
    notes: z.string().optional(),
    registers: z.array(modbusRegisterSchema).min(1).max(32),
  })
  .superRefine((map, context) => {
    const seen = new Set<string>();
    map.registers.forEach((register, index) => {
      if (seen.has(register.field)) {
        context.addIssue({
          code: "custom",
          path: ["registers", index, "field"],
          message: `${register.field} declared twice`,
        });
      }
      seen.add(register.field);
    });
    if (!seen.has("energyImported") && !seen.has("energyExported")) {
      context.addIssue({
        code: "custom",
        path: ["registers"],
        message: "declares no energy counter (energyImported or energyExported)",
      });
    }
  });

/** A map as written in configuration (defaults not yet applied). */
export type ModbusRegisterMapInput = z.input<typeof modbusRegisterMapSchema>;
/** A validated map, defaults applied. */
export type ModbusRegisterMap = z.output<typeof modbusRegisterMapSchema>;
export type ModbusRegister = z.output<typeof modbusRegisterSchema>;
