import { InvalidInputError } from "../../errors/index.ts";
import { bytesToHex, decodeHexInto, describe } from "./hex.ts";

/**
 * An elementary ABI type whose encoding is one 32-byte word. Leaves made only
 * of these are packed straight into a byte buffer (the fast path).
 */
export type StaticWordType =
  | { kind: "uint"; bits: number; name: string }
  | { kind: "int"; bits: number; name: string }
  | { kind: "bytes"; size: number; name: string }
  | { kind: "address"; name: string }
  | { kind: "bool"; name: string };

const INTEGER_TYPE = /^(u?)int(\d*)$/;
const FIXED_BYTES_TYPE = /^bytes(\d+)$/;

/** The static word type named by `type`, or undefined for any other ABI type. */
export function parseStaticWordType(type: string): StaticWordType | undefined {
  const integer = INTEGER_TYPE.exec(type);
  if (integer) {
    const bits = integer[2] === "" ? 256 : Number(integer[2]);
    if (bits < 8 || bits > 256 || bits % 8 !== 0) return undefined;
    return { kind: integer[1] === "u" ? "uint" : "int", bits, name: type };
  }
  const fixed = FIXED_BYTES_TYPE.exec(type);
  if (fixed) {
    const size = Number(fixed[1]);
    return size >= 1 && size <= 32 ? { kind: "bytes", size, name: type } : undefined;
  }
  if (type === "address") return { kind: "address", name: type };
  if (type === "bool") return { kind: "bool", name: type };
  return undefined;
}

const DECIMAL = /^-?[0-9]+$/;
const HEX_NUMBER = /^0x[0-9a-fA-F]+$/;
const TWO_POW_32 = 4294967296;
const TWO_POW_256 = 1n << 256n;

/**
 * An integer input as OZ accepts it (bigint, safe-integer number, decimal or
 * 0x-hex string) as a bigint, range-checked for `type`.
 */
export function toIntegerValue(value: unknown, type: StaticWordType, path: string): bigint {
  let v: bigint;
  if (typeof value === "bigint") v = value;
  else if (typeof value === "number" && Number.isSafeInteger(value)) v = BigInt(value);
  else if (typeof value === "string" && (DECIMAL.test(value) || HEX_NUMBER.test(value)))
    v = BigInt(value);
  else {
    throw new InvalidInputError(
      path,
      `expected an integer for ${type.name}, got ${describe(value)}`,
      {
        hints: ["Give integers as bigint, a safe-integer number, or a decimal or 0x-hex string."],
      },
    );
  }
  const bits = type.kind === "int" || type.kind === "uint" ? type.bits : 256;
  const min = type.kind === "int" ? -(1n << BigInt(bits - 1)) : 0n;
  const max = type.kind === "int" ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (v < min || v > max)
    throw new InvalidInputError(path, `${describe(value)} does not fit ${type.name}`);
  return v;
}

/** Writes a non-negative integer below 2^53 as a 32-byte big-endian word. */
function writeSmallWord(n: number, out: Uint8Array, offset: number): void {
  out.fill(0, offset, offset + 24);
  const hi = Math.floor(n / TWO_POW_32);
  const lo = n >>> 0;
  out[offset + 24] = hi >>> 24;
  out[offset + 25] = hi >>> 16;
  out[offset + 26] = hi >>> 8;
  out[offset + 27] = hi;
  out[offset + 28] = lo >>> 24;
  out[offset + 29] = lo >>> 16;
  out[offset + 30] = lo >>> 8;
  out[offset + 31] = lo;
}

/** Writes any integer in [-2^255, 2^256) as a 32-byte two's-complement word. */
function writeBigWord(v: bigint, out: Uint8Array, offset: number): void {
  let u = v < 0n ? v + TWO_POW_256 : v;
  for (let i = 28; i >= 0; i -= 4) {
    const word = Number(u & 0xffffffffn);
    out[offset + i] = word >>> 24;
    out[offset + i + 1] = word >>> 16;
    out[offset + i + 2] = word >>> 8;
    out[offset + i + 3] = word;
    u >>= 32n;
  }
}

/**
 * Writes an integer of an ABI uintN/intN type as its 32-byte word. Numbers and
 * small bigints (the common case: counters, timestamps) skip bigint arithmetic.
 */
export function writeIntegerWord(
  value: unknown,
  type: StaticWordType & { kind: "uint" | "int" },
  out: Uint8Array,
  offset: number,
  path: string,
): void {
  let small = -1;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) small = value;
  else if (typeof value === "bigint" && value >= 0n && value <= 9007199254740991n)
    small = Number(value);
  if (
    small >= 0 &&
    (type.bits > 53 || small < 2 ** (type.kind === "int" ? type.bits - 1 : type.bits))
  ) {
    writeSmallWord(small, out, offset);
    return;
  }
  writeBigWord(toIntegerValue(value, type, path), out, offset);
}

/** Writes `value` of a static word type as its 32-byte ABI word at `out[offset]`. */
export function writeStaticWord(
  value: unknown,
  type: StaticWordType,
  out: Uint8Array,
  offset: number,
  path: string,
): void {
  switch (type.kind) {
    case "uint":
    case "int":
      writeIntegerWord(value, type, out, offset, path);
      return;
    case "bytes":
      writeFixedBytesWord(value, type, out, offset, path);
      return;
    case "address":
      out.fill(0, offset, offset + 12);
      if (typeof value === "string" && decodeHexInto(value, 20, out, offset + 12)) return;
      if (value instanceof Uint8Array && value.length === 20) {
        out.set(value, offset + 12);
        return;
      }
      throw new InvalidInputError(
        path,
        `expected a 20-byte 0x-hex address, got ${describe(value)}`,
      );
    case "bool":
      if (value !== true && value !== false && value !== "true" && value !== "false") {
        throw new InvalidInputError(path, `expected a boolean, got ${describe(value)}`);
      }
      out.fill(0, offset, offset + 31);
      out[offset + 31] = value === true || value === "true" ? 1 : 0;
      return;
  }
}

/**
 * bytesN: exactly N bytes (0x-hex or Uint8Array), right-padded with zeros.
 * Stricter than OZ, which silently right-pads shorter input: a 31-byte salt is
 * a bug to report, not to hash.
 */
export function writeFixedBytesWord(
  value: unknown,
  type: StaticWordType & { kind: "bytes" },
  out: Uint8Array,
  offset: number,
  path: string,
): void {
  out.fill(0, offset + type.size, offset + 32);
  if (typeof value === "string" && decodeHexInto(value, type.size, out, offset)) return;
  if (value instanceof Uint8Array && value.length === type.size) {
    out.set(value, offset);
    return;
  }
  throw new InvalidInputError(
    path,
    `${describe(value)} does not fit ${type.name} (expected exactly ${type.size} bytes as 0x-hex)`,
  );
}

/** `value` with bigints as decimal strings and byte arrays as hex, for JSON. */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return bytesToHex(value);
  if (Array.isArray(value)) return value.map(toJsonValue);
  return value;
}
