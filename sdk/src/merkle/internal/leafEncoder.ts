import { encodeAbiParameters, hexToBytes, parseAbiParameter, type AbiParameter } from "viem";
import { InvalidInputError } from "../../errors/index.ts";
import type { LeafEncoding } from "../types.ts";
import {
  parseStaticWordType,
  toIntegerValue,
  writeStaticWord,
  type StaticWordType,
} from "./abiValues.ts";
import { bytesToHex, describe } from "./hex.ts";
import { defined } from "./defined.ts";
import { prefixPath } from "./prefixPath.ts";

/**
 * How to ABI-encode the leaves of one leaf encoding. When every type is a
 * static word (`wordTypes` set), a leaf is `32 * types.length` bytes written
 * in place by `encodeInto`; otherwise `encode` goes through viem.
 */
export interface LeafEncoder {
  readonly types: LeafEncoding;
  /** Static word types, or undefined when some type is dynamic or composite. */
  readonly wordTypes: readonly StaticWordType[] | undefined;
  /** Bytes per leaf on the fast path (32 per type), 0 otherwise. */
  readonly staticSize: number;
  /** Fast path only: writes `abi.encode(value)` at `out[offset]`. */
  encodeInto(value: unknown, row: string, out: Uint8Array, offset: number): void;
  /** Any types: `abi.encode(value)` as fresh bytes. */
  encode(value: unknown, row: string): Uint8Array;
}

/** Parses `types` once into an encoder; InvalidInputError at `types[i]` for an unknown type. */
export function compileLeafEncoder(types: unknown, path = "types"): LeafEncoder {
  if (!Array.isArray(types) || types.length === 0) {
    throw new InvalidInputError(
      path,
      `expected a non-empty array of ABI type strings, got ${describe(types)}`,
    );
  }
  const params: AbiParameter[] = types.map((type: unknown, i) => {
    if (typeof type !== "string") {
      throw new InvalidInputError(
        `${path}[${i}]`,
        `expected an ABI type string, got ${describe(type)}`,
      );
    }
    try {
      return parseAbiParameter(type);
    } catch (cause) {
      throw new InvalidInputError(`${path}[${i}]`, `unknown ABI type ${JSON.stringify(type)}`, {
        cause,
      });
    }
  });
  const leafTypes = types as string[];
  const words = leafTypes.map(parseStaticWordType);
  const wordTypes = words.every((w) => w !== undefined) ? words : undefined;
  const checkArity = (value: unknown, row: string): readonly unknown[] => {
    if (!Array.isArray(value)) {
      throw new InvalidInputError(
        row,
        `expected an array of ${leafTypes.length} values, got ${describe(value)}`,
      );
    }
    if (value.length !== leafTypes.length) {
      throw new InvalidInputError(
        row,
        `expected ${leafTypes.length} values (one per type), got ${value.length}`,
      );
    }
    return value as readonly unknown[];
  };
  const fieldPaths = leafTypes.map((_, i) => `[${i}]`);
  return {
    types: leafTypes,
    wordTypes,
    staticSize: wordTypes ? 32 * wordTypes.length : 0,
    encodeInto(value, row, out, offset) {
      const fields = checkArity(value, row);
      const w = wordTypes ?? [];
      try {
        for (let i = 0; i < w.length; i++) {
          writeStaticWord(fields[i], defined(w[i]), out, offset + 32 * i, defined(fieldPaths[i]));
        }
      } catch (error) {
        throw prefixPath(error, row);
      }
    },
    encode(value, row) {
      const fields = checkArity(value, row);
      if (wordTypes) {
        const out = new Uint8Array(32 * wordTypes.length);
        this.encodeInto(fields, row, out, 0);
        return out;
      }
      const normalized = params.map((p, i) => toViemValue(p, fields[i], `${row}[${i}]`));
      return hexToBytes(encodeAbiParameters(params, normalized));
    },
  };
}

const ARRAY_TYPE = /^(.*)\[(\d*)\]$/;

/**
 * Checks `value` against `param` and converts it to what viem's encoder takes
 * (bigint integers, hex bytes, lowercase addresses), so every bad value is
 * reported here with its path instead of as a viem error.
 */
function toViemValue(param: AbiParameter, value: unknown, path: string): unknown {
  const array = ARRAY_TYPE.exec(param.type);
  if (array) {
    if (!Array.isArray(value))
      throw new InvalidInputError(
        path,
        `expected an array for ${param.type}, got ${describe(value)}`,
      );
    if (array[2] !== "" && value.length !== Number(array[2])) {
      throw new InvalidInputError(
        path,
        `expected ${array[2]} elements for ${param.type}, got ${value.length}`,
      );
    }
    const element: AbiParameter = { ...param, type: defined(array[1]) };
    return value.map((v: unknown, i) => toViemValue(element, v, `${path}[${i}]`));
  }
  if (param.type === "tuple") {
    const components = "components" in param ? param.components : [];
    if (!Array.isArray(value) || value.length !== components.length) {
      throw new InvalidInputError(
        path,
        `expected an array of ${components.length} tuple fields, got ${describe(value)}`,
      );
    }
    return components.map((c, i) => toViemValue(c, (value as unknown[])[i], `${path}[${i}]`));
  }
  if (param.type === "string") {
    if (typeof value !== "string")
      throw new InvalidInputError(path, `expected a string, got ${describe(value)}`);
    return value;
  }
  if (param.type === "bytes") {
    if (value instanceof Uint8Array) return bytesToHex(value);
    if (typeof value === "string" && /^0x([0-9a-fA-F]{2})*$/.test(value))
      return value.toLowerCase();
    throw new InvalidInputError(path, `expected 0x-hex bytes, got ${describe(value)}`);
  }
  const word = parseStaticWordType(param.type);
  if (word === undefined) throw new InvalidInputError(path, `unsupported ABI type ${param.type}`);
  switch (word.kind) {
    case "uint":
    case "int":
      return toIntegerValue(value, word, path);
    case "bool":
    case "address":
    case "bytes": {
      // Reuse the word writer's checks, then hand viem the canonical form.
      const slot = new Uint8Array(32);
      writeStaticWord(value, word, slot, 0, path);
      if (word.kind === "bool") return slot[31] === 1;
      if (word.kind === "address") return bytesToHex(slot.subarray(12));
      return bytesToHex(slot.subarray(0, word.size));
    }
  }
}
