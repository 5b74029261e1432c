/* eslint-disable @typescript-eslint/no-non-null-assertion -- byte-level hot loop: every typed-array index is bounded by the loop, and a `?? 0` or check per byte costs measurable throughput. */
import { InvalidInputError } from "../../errors/index.ts";
import type { Hex } from "../types.ts";

const BYTE_TO_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, "0"),
);

// Char code → nibble value, -1 for anything that is not a hex digit.
const HEX_TO_NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_TO_NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_TO_NIBBLE[65 + i] = 10 + i;
  HEX_TO_NIBBLE[97 + i] = 10 + i;
}

/** Lowercase 0x-hex of `bytes[offset, offset + length)`. */
export function bytesToHexAt(bytes: Uint8Array, offset: number, length: number): Hex {
  let out = "0x";
  for (let i = offset; i < offset + length; i++) out += BYTE_TO_HEX[bytes[i]!]!;
  return out as Hex;
}

/** Lowercase 0x-hex of all of `bytes`. */
export function bytesToHex(bytes: Uint8Array): Hex {
  return bytesToHexAt(bytes, 0, bytes.length);
}

/**
 * Decodes the 0x-hex string `hex`, which must encode exactly `byteLength`
 * bytes, into `out[offset, offset + byteLength)`. Returns false (writing
 * nothing meaningful) when `hex` is not such a string, so callers phrase the
 * error with their own path.
 */
export function decodeHexInto(
  hex: string,
  byteLength: number,
  out: Uint8Array,
  offset: number,
): boolean {
  if (hex.length !== 2 + 2 * byteLength || hex.charCodeAt(0) !== 48) return false;
  const x = hex.charCodeAt(1);
  if (x !== 120 && x !== 88) return false;
  for (let i = 0; i < byteLength; i++) {
    const c1 = hex.charCodeAt(2 + 2 * i);
    const c2 = hex.charCodeAt(3 + 2 * i);
    const hi = c1 < 128 ? HEX_TO_NIBBLE[c1]! : -1;
    const lo = c2 < 128 ? HEX_TO_NIBBLE[c2]! : -1;
    if (hi < 0 || lo < 0) return false;
    out[offset + i] = (hi << 4) | lo;
  }
  return true;
}

/** A 32-byte hash given as 0x-hex, decoded; InvalidInputError at `path` otherwise. */
export function parseHash(value: unknown, path: string): Uint8Array {
  const out = new Uint8Array(32);
  if (typeof value !== "string" || !decodeHexInto(value, 32, out, 0)) {
    throw new InvalidInputError(path, `expected a 32-byte 0x-hex hash, got ${describe(value)}`);
  }
  return out;
}

/** A short, safe rendering of an input value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  }
  if (value === null) return "null";
  if (value === undefined) return "undefined (missing)";
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "object") return "an object";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value;
}
