import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import type { SunSpecModelBlock } from "./walkSunSpecModels.ts";

/** The points the gateway uses, in SI units; undefined where the device does not implement them. */
export interface SunSpecPoints {
  kind: "common" | "inverter" | "meter";
  manufacturer?: string;
  model?: string;
  serialNumber?: string;
  /** Total active power, W (for meters: positive = importing from the grid). */
  watts?: number;
  /** Lifetime energy produced (inverter WH), Wh. */
  energyProducedWattHours?: number;
  /** Meter TotWhImp / TotWhExp, Wh. */
  energyImportedWattHours?: number;
  energyExportedWattHours?: number;
  voltsPhaseA?: number;
  ampsTotal?: number;
}

interface Point {
  offset: number;
  type: "int16" | "uint16" | "acc32" | "float32";
  sf?: number;
}

// Offsets inside the model's data block, from the SunSpec Information Model
// Reference (models 101–103 and 201–204 are integer + scale factor,
// 111–113 and 211–214 are float32).
const INT_INVERTER: Record<string, Point> = {
  A: { offset: 0, type: "uint16", sf: 4 },
  PhVphA: { offset: 8, type: "uint16", sf: 11 },
  W: { offset: 12, type: "int16", sf: 13 },
  WH: { offset: 22, type: "acc32", sf: 24 },
};
const FLOAT_INVERTER: Record<string, Point> = {
  A: { offset: 0, type: "float32" },
  PhVphA: { offset: 14, type: "float32" },
  W: { offset: 20, type: "float32" },
  WH: { offset: 30, type: "float32" },
};
const INT_METER: Record<string, Point> = {
  A: { offset: 0, type: "int16", sf: 4 },
  PhVphA: { offset: 6, type: "int16", sf: 13 },
  W: { offset: 16, type: "int16", sf: 20 },
  TotWhExp: { offset: 36, type: "acc32", sf: 52 },
  TotWhImp: { offset: 44, type: "acc32", sf: 52 },
};
const FLOAT_METER: Record<string, Point> = {
  A: { offset: 0, type: "float32" },
  PhVphA: { offset: 10, type: "float32" },
  W: { offset: 26, type: "float32" },
  TotWhExp: { offset: 58, type: "float32" },
  TotWhImp: { offset: 66, type: "float32" },
};

function text(registers: Uint16Array, offset: number, count: number): string | undefined {
  let out = "";
  for (let i = offset; i < offset + count; i += 1) {
    const r = registers[i] ?? 0;
    out += String.fromCharCode(r >> 8, r & 0xff);
  }
  const trimmed = out.replace(/\0+$/, "").trim();
  return trimmed === "" ? undefined : trimmed;
}

function value(block: SunSpecModelBlock, point: Point | undefined): number | undefined {
  if (point === undefined) return undefined;
  const r = block.registers;
  const need = point.type === "acc32" || point.type === "float32" ? 2 : 1;
  if (point.offset + need > r.length) {
    throw new ProtocolFrameError(
      "sunspec",
      "wrong-length",
      `model ${block.id}`,
      `${r.length} registers, point at ${point.offset}`,
    );
  }
  const hi = r[point.offset] ?? 0;
  const lo = r[point.offset + 1] ?? 0;
  let raw: number;
  if (point.type === "float32") {
    const view = new DataView(new ArrayBuffer(4));
    view.setUint16(0, hi);
    view.setUint16(2, lo);
    raw = view.getFloat32(0);
    return Number.isNaN(raw) ? undefined : raw; // NaN is float's not-implemented
  }
  if (point.type === "int16") {
    if (hi === 0x8000) return undefined;
    raw = hi >= 0x8000 ? hi - 0x10000 : hi;
  } else if (point.type === "uint16") {
    if (hi === 0xffff) return undefined;
    raw = hi;
  } else {
    // acc32: 0 means not accumulated / not implemented per the spec.
    raw = hi * 0x10000 + lo;
    if (raw === 0) return undefined;
  }
  if (point.sf === undefined) return raw;
  const sfRegister = r[point.sf] ?? 0x8000;
  if (sfRegister === 0x8000) return undefined;
  const sf = sfRegister >= 0x8000 ? sfRegister - 0x10000 : sfRegister;
  if (sf < -10 || sf > 10) {
    throw new ProtocolFrameError(
      "sunspec",
      "bad-value",
      `model ${block.id} sf@${point.sf}`,
      `scale factor ${sf} outside −10…10`,
    );
  }
  // Round to the register's own precision so 10^sf's float error does not leak into energies.
  return Number((raw * 10 ** sf).toFixed(Math.max(0, -sf)));
}

/**
 * Decodes the common model (1), inverters (101–103 integer+SF, 111–113
 * float) and meters (201–204, 211–214) into SI points, applying scale factors
 * and treating the not-implemented sentinels (0x8000 int16, 0xFFFF uint16,
 * 0 acc32, NaN float32, 0x8000 scale factor) as absent. Other models return
 * undefined: walked, kept, not interpreted.
 *
 * @throws {ProtocolFrameError} wrong-length when a model is shorter than its points; bad-value on an absurd scale factor.
 * @example
 * ```ts
 * const points = models.map(decodeSunSpecModel).filter((p) => p !== undefined);
 * ```
 */
export function decodeSunSpecModel(block: SunSpecModelBlock): SunSpecPoints | undefined {
  const { id } = block;
  if (id === 1) {
    if (block.registers.length < 64) {
      throw new ProtocolFrameError(
        "sunspec",
        "wrong-length",
        "model 1",
        `${block.registers.length} registers, needs 64`,
      );
    }
    return {
      kind: "common",
      manufacturer: text(block.registers, 0, 16),
      model: text(block.registers, 16, 16),
      serialNumber: text(block.registers, 48, 16),
    };
  }
  const inverter =
    id >= 101 && id <= 103 ? INT_INVERTER : id >= 111 && id <= 113 ? FLOAT_INVERTER : undefined;
  if (inverter !== undefined) {
    return {
      kind: "inverter",
      watts: value(block, inverter.W),
      energyProducedWattHours: value(block, inverter.WH),
      voltsPhaseA: value(block, inverter.PhVphA),
      ampsTotal: value(block, inverter.A),
    };
  }
  const meter =
    id >= 201 && id <= 204 ? INT_METER : id >= 211 && id <= 214 ? FLOAT_METER : undefined;
  if (meter !== undefined) {
    return {
      kind: "meter",
      watts: value(block, meter.W),
      energyImportedWattHours: value(block, meter.TotWhImp),
      energyExportedWattHours: value(block, meter.TotWhExp),
      voltsPhaseA: value(block, meter.PhVphA),
      ampsTotal: value(block, meter.A),
    };
  }
  return undefined;
}
