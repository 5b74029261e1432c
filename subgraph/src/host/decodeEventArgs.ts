/**
 * ABI-decodes a log's topics and data into the argument values `newEthereumEvent` writes, in viem's
 * value shapes (addresses and bytes as 0x-hex, uints and ints as bigint, tuples as objects by
 * component name or arrays when unnamed). The indexer already knows each log's event from its topic0,
 * so unlike viem's `decodeEventLog` this does not hash the event signature per log, and it does not
 * checksum addresses (a keccak each; the host turns them into bytes anyway): both showed in profiles.
 *
 * The indexer asks for the `"host"` shape instead: addresses and bytes as views into the log data,
 * integers as their ABI word (`AbiWord`), tuples as arrays. `newEthereumEvent` copies those into the
 * mapping's memory without the hex strings and bigints in between (they were a fifth of a profile);
 * what it writes is the same either way (decodeEventArgs.test.ts).
 */
import type { AbiParameter } from "viem";
import { bytesToHexFast as bytesToHex, hexToBytesFast as hexToBytes } from "./hex.ts";

/** The log is not an encoding of its event (truncated data, an offset out of range). */
export class EventDecodingError extends Error {
  override name = "EventDecodingError";
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

/** viem's value shapes, or the host's (see above). */
export type ValueShape = "viem" | "host";

/** An integer as the log encodes it: a 32-byte big-endian two's-complement word. */
export class AbiWord {
  readonly bytes: Uint8Array;
  readonly signed: boolean;
  constructor(bytes: Uint8Array, signed: boolean) {
    this.bytes = bytes;
    this.signed = signed;
  }
}

function word(data: Uint8Array, offset: number): Uint8Array {
  if (offset < 0 || offset + 32 > data.length) {
    throw new EventDecodingError(`data too short: word at byte ${offset} of ${data.length}`);
  }
  return data.subarray(offset, offset + 32);
}

function uintOf(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = 0; i < bytes.length; i += 8) {
    let chunk = 0n;
    for (let j = i; j < i + 8; j++) chunk = (chunk << 8n) | BigInt(bytes[j] ?? 0);
    value = (value << 64n) | chunk;
  }
  return value;
}

function smallOf(bytes: Uint8Array, offset: number): number {
  const w = word(bytes, offset);
  // Offsets and lengths within the data fit the low 4 bytes: read them without a bigint (a
  // 100-container batch reads ~300), and only a word too large for that is made one, for the error.
  let high = 0;
  for (let i = 0; i < 28; i++) high |= w[i] ?? 0;
  const low =
    (((w[28] ?? 0) << 24) | ((w[29] ?? 0) << 16) | ((w[30] ?? 0) << 8) | (w[31] ?? 0)) >>> 0;
  if (high !== 0 || low > bytes.length) {
    throw new EventDecodingError(`offset or length ${uintOf(w)} beyond the data (${bytes.length})`);
  }
  return low;
}

/** The element parameter and length (null: dynamic) of an array type, the same object each time. */
interface ArrayType {
  element: AbiParameter;
  length: number | null;
}
const arrayTypes = new WeakMap<AbiParameter, ArrayType | null>();

function arrayTypeOf(parameter: AbiParameter): ArrayType | null {
  let array = arrayTypes.get(parameter);
  if (array === undefined) {
    const match = /^(.*)\[(\d*)\]$/.exec(parameter.type);
    array =
      match === null
        ? null
        : {
            element: { ...parameter, type: match[1] ?? "" },
            length: match[2] === "" ? null : Number(match[2]),
          };
    arrayTypes.set(parameter, array);
  }
  return array;
}

const dynamicParameters = new WeakMap<AbiParameter, boolean>();

function isDynamic(parameter: AbiParameter): boolean {
  let dynamic = dynamicParameters.get(parameter);
  if (dynamic === undefined) {
    dynamic = isDynamicUncached(parameter);
    dynamicParameters.set(parameter, dynamic);
  }
  return dynamic;
}

function isDynamicUncached(parameter: AbiParameter): boolean {
  const { type } = parameter;
  if (type === "string" || type === "bytes") return true;
  const array = arrayTypeOf(parameter);
  if (array !== null) return array.length === null || isDynamic(array.element);
  if (type === "tuple") return componentsOf(parameter).some(isDynamic);
  return false;
}

function componentsOf(parameter: AbiParameter): readonly AbiParameter[] {
  return "components" in parameter ? parameter.components : [];
}

/** Bytes a static parameter takes in the head. */
function headSize(parameter: AbiParameter): number {
  if (isDynamic(parameter)) return 32;
  const array = arrayTypeOf(parameter);
  if (array !== null) return (array.length ?? 0) * headSize(array.element);
  if (parameter.type === "tuple")
    return componentsOf(parameter).reduce((n, c) => n + headSize(c), 0);
  return 32;
}

function decodeSequence(
  data: Uint8Array,
  base: number,
  parameters: readonly AbiParameter[],
  shape: ValueShape,
): unknown[] {
  const values: unknown[] = [];
  let head = base;
  for (const parameter of parameters) {
    if (isDynamic(parameter)) {
      values.push(decodeValue(data, base + smallOf(data, head), parameter, shape));
      head += 32;
    } else {
      values.push(decodeValue(data, head, parameter, shape));
      head += headSize(parameter);
    }
  }
  return values;
}

/** A value whose encoding starts at `offset` (the tail, for a dynamic one). */
function decodeValue(
  data: Uint8Array,
  offset: number,
  parameter: AbiParameter,
  shape: ValueShape,
): unknown {
  const { type } = parameter;
  const array = arrayTypeOf(parameter);
  if (array !== null) {
    const element = array.element;
    const length = array.length ?? smallOf(data, offset);
    const start = array.length === null ? offset + 32 : offset;
    return decodeSequence(
      data,
      start,
      Array.from({ length }, () => element),
      shape,
    );
  }
  if (type === "tuple") {
    const components = componentsOf(parameter);
    const values = decodeSequence(data, offset, components, shape);
    if (
      shape === "host" ||
      components.length === 0 ||
      components.some((c) => c.name === undefined || c.name === "")
    )
      return values;
    return Object.fromEntries(components.map((c, i) => [c.name, values[i]]));
  }
  if (type === "string" || type === "bytes") {
    const length = smallOf(data, offset);
    if (offset + 32 + length > data.length)
      throw new EventDecodingError(`${type} of ${length} bytes beyond the data`);
    const bytes = data.subarray(offset + 32, offset + 32 + length);
    if (type === "string") return utf8.decode(bytes);
    return shape === "host" ? bytes : bytesToHex(bytes);
  }
  return decodeStatic(word(data, offset), type, shape);
}

function decodeStatic(bytes: Uint8Array, type: string, shape: ValueShape): unknown {
  if (type === "address")
    return shape === "host" ? bytes.subarray(12) : bytesToHex(bytes.subarray(12));
  if (type === "bool") return bytes[31] !== 0;
  if (type.startsWith("bytes")) {
    const fixed = bytes.subarray(0, Number(type.slice(5)));
    return shape === "host" ? fixed : bytesToHex(fixed);
  }
  if (shape === "host" && (type.startsWith("uint") || type.startsWith("int")))
    return new AbiWord(bytes, type.startsWith("int"));
  if (type.startsWith("uint")) {
    const bits = Number(type.slice(4) || "256");
    const value = uintOf(bytes);
    // viem's shape: a number up to 48 bits, a bigint above.
    return bits <= 48 ? Number(value) : value;
  }
  if (type.startsWith("int")) {
    const bits = Number(type.slice(3) || "256");
    const value = BigInt.asIntN(bits, uintOf(bytes));
    return bits <= 48 ? Number(value) : value;
  }
  throw new EventDecodingError(`ABI type ${type} is not supported by the host`);
}

const EVEN_HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

/**
 * A log's data as bytes. Node's native hex decoding is ~3x the JavaScript loop on a 100-container
 * batch (~45 KB of hex); anything it would not decode exactly goes to hexToBytes for its error.
 */
function dataBytes(hex: string): Uint8Array {
  if (!EVEN_HEX.test(hex)) return hexToBytes(hex);
  const buffer = Buffer.from(hex.slice(2), "hex");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/**
 * The event's arguments by name (by position when unnamed), as viem's decodeEventLog returns them.
 * An indexed dynamic value (string, bytes, array, tuple) is its topic, the hash of its encoding.
 */
export function decodeEventArgs(
  inputs: readonly AbiParameter[],
  topics: readonly string[],
  dataHex: string,
  shape: ValueShape = "viem",
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const data = dataBytes(dataHex);
  const nonIndexed = inputs.filter((input) => !("indexed" in input && input.indexed === true));
  const values = decodeSequence(data, 0, nonIndexed, shape);
  let topic = 1;
  let value = 0;
  inputs.forEach((input, i) => {
    const key = input.name !== undefined && input.name !== "" ? input.name : String(i);
    if ("indexed" in input && input.indexed === true) {
      const hex = topics[topic++];
      if (hex === undefined) throw new EventDecodingError(`missing topic for ${key}`);
      args[key] = isDynamic(input)
        ? hex
        : decodeStatic(word(hexToBytes(hex), 0), input.type, shape);
    } else {
      args[key] = values[value++];
    }
  });
  return args;
}
