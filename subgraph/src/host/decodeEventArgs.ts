/**
 * ABI-decodes a log's topics and data into the argument values `newEthereumEvent` writes, in viem's
 * value shapes (addresses and bytes as 0x-hex, uints and ints as bigint, tuples as objects by
 * component name or arrays when unnamed). The indexer already knows each log's event from its topic0,
 * so unlike viem's `decodeEventLog` this does not hash the event signature per log, and it does not
 * checksum addresses (a keccak each; the host turns them into bytes anyway): both showed in profiles.
 *
 * The indexer asks for the `"host"` shape instead: addresses and bytes as views into the log data,
 * integers as their 32-byte ABI word (a view too: the writer knows from the ABI whether it is signed),
 * tuples as arrays. `newEthereumEvent` copies those into the
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

/**
 * How a parameter is decoded, worked out once per ABI parameter: the type-string tests and the
 * per-value lookups of whether a type is dynamic and how much head it takes showed in profiles (a
 * 100-container batch decodes ~1,300 values).
 */
type Plan = { dynamic: boolean; head: number; type: string } & (
  | { kind: "array"; element: Plan; length: number | null }
  | { kind: "tuple"; components: readonly Plan[]; names: readonly string[] | null }
  | { kind: "string" | "bytes" | "address" | "bool" | "unsupported" }
  | { kind: "fixedBytes"; size: number }
  | { kind: "integer"; signed: boolean; bits: number }
);

const plans = new WeakMap<AbiParameter, Plan>();

function planOf(parameter: AbiParameter): Plan {
  let plan = plans.get(parameter);
  if (plan === undefined) {
    plan = makePlan(parameter);
    plans.set(parameter, plan);
  }
  return plan;
}

function componentsOf(parameter: AbiParameter): readonly AbiParameter[] {
  return "components" in parameter ? parameter.components : [];
}

function makePlan(parameter: AbiParameter): Plan {
  const { type } = parameter;
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array !== null) {
    const element = makePlan({ ...parameter, type: array[1] ?? "" });
    const length = array[2] === "" ? null : Number(array[2]);
    const dynamic = length === null || element.dynamic;
    const head = dynamic ? 32 : length * element.head;
    return { kind: "array", element, length, dynamic, head, type };
  }
  if (type === "tuple") {
    const parameters = componentsOf(parameter);
    const components = parameters.map(makePlan);
    const dynamic = components.some((c) => c.dynamic);
    const head = dynamic ? 32 : components.reduce((n, c) => n + c.head, 0);
    // viem returns a tuple as an object by component name, or as an array when one is unnamed.
    const named =
      parameters.length > 0 && parameters.every((c) => c.name !== undefined && c.name !== "");
    const names = named ? parameters.map((c) => String(c.name)) : null;
    return { kind: "tuple", components, names, dynamic, head, type };
  }
  if (type === "string" || type === "bytes") return { kind: type, dynamic: true, head: 32, type };
  const fixed = { dynamic: false, head: 32, type };
  if (type === "address" || type === "bool") return { kind: type, ...fixed };
  if (type.startsWith("bytes"))
    return { kind: "fixedBytes", size: Number(type.slice(5)), ...fixed };
  if (type.startsWith("uint"))
    return { kind: "integer", signed: false, bits: Number(type.slice(4) || "256"), ...fixed };
  if (type.startsWith("int"))
    return { kind: "integer", signed: true, bits: Number(type.slice(3) || "256"), ...fixed };
  // Thrown when a value of it is decoded, as before: an empty array of it decodes.
  return { kind: "unsupported", ...fixed };
}

function decodeSequence(
  data: Uint8Array,
  base: number,
  plans: readonly Plan[],
  shape: ValueShape,
): unknown[] {
  const values: unknown[] = [];
  let head = base;
  for (const plan of plans) {
    if (plan.dynamic) {
      values.push(decodeValue(data, base + smallOf(data, head), plan, shape));
      head += 32;
    } else {
      values.push(decodeValue(data, head, plan, shape));
      head += plan.head;
    }
  }
  return values;
}

function decodeElements(
  data: Uint8Array,
  base: number,
  element: Plan,
  length: number,
  shape: ValueShape,
): unknown[] {
  const values: unknown[] = [];
  let head = base;
  for (let i = 0; i < length; i++) {
    if (element.dynamic) {
      values.push(decodeValue(data, base + smallOf(data, head), element, shape));
      head += 32;
    } else {
      values.push(decodeValue(data, head, element, shape));
      head += element.head;
    }
  }
  return values;
}

/** A value whose encoding starts at `offset` (the tail, for a dynamic one). */
function decodeValue(data: Uint8Array, offset: number, plan: Plan, shape: ValueShape): unknown {
  switch (plan.kind) {
    case "array": {
      const length = plan.length ?? smallOf(data, offset);
      const start = plan.length === null ? offset + 32 : offset;
      return decodeElements(data, start, plan.element, length, shape);
    }
    case "tuple": {
      const values = decodeSequence(data, offset, plan.components, shape);
      const names = plan.names;
      if (shape === "host" || names === null) return values;
      return Object.fromEntries(names.map((name, i) => [name, values[i]]));
    }
    case "string":
    case "bytes": {
      const length = smallOf(data, offset);
      if (offset + 32 + length > data.length)
        throw new EventDecodingError(`${plan.kind} of ${length} bytes beyond the data`);
      const bytes = data.subarray(offset + 32, offset + 32 + length);
      if (plan.kind === "string") return utf8.decode(bytes);
      return shape === "host" ? bytes : bytesToHex(bytes);
    }
    default:
      return decodeStatic(word(data, offset), plan, shape);
  }
}

function decodeStatic(bytes: Uint8Array, plan: Plan, shape: ValueShape): unknown {
  switch (plan.kind) {
    case "address":
      return shape === "host" ? bytes.subarray(12) : bytesToHex(bytes.subarray(12));
    case "bool":
      return bytes[31] !== 0;
    case "fixedBytes": {
      const fixed = bytes.subarray(0, plan.size);
      return shape === "host" ? fixed : bytesToHex(fixed);
    }
    case "integer": {
      if (shape === "host") return bytes;
      // viem's shape: a number up to 48 bits, a bigint above.
      const value = plan.signed ? BigInt.asIntN(plan.bits, uintOf(bytes)) : uintOf(bytes);
      return plan.bits <= 48 ? Number(value) : value;
    }
    default:
      throw new EventDecodingError(`ABI type ${plan.type} is not supported by the host`);
  }
}

/**
 * A log's data as bytes. Node's native hex decoding is ~3x the JavaScript loop on a 100-container
 * batch (~45 KB of hex); it stops at the first pair that is not hex, so a shorter result (or an odd
 * length) goes to hexToBytes for its error, without a regex over the whole string first.
 */
function dataBytes(hex: string): Uint8Array {
  if (!hex.startsWith("0x") || hex.length % 2 !== 0) return hexToBytes(hex);
  const buffer = Buffer.from(hex.slice(2), "hex");
  if (buffer.length !== (hex.length - 2) / 2) return hexToBytes(hex);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** An event's inputs split once: the plans of the data's values, and each input's key. */
interface EventPlan {
  data: readonly Plan[];
  inputs: readonly { key: string; indexed: boolean; plan: Plan }[];
}
const eventPlans = new WeakMap<readonly AbiParameter[], EventPlan>();

function eventPlanOf(inputs: readonly AbiParameter[]): EventPlan {
  let plan = eventPlans.get(inputs);
  if (plan === undefined) {
    const described = inputs.map((input, i) => ({
      key: input.name !== undefined && input.name !== "" ? input.name : String(i),
      indexed: "indexed" in input && input.indexed === true,
      plan: planOf(input),
    }));
    plan = {
      data: described.filter((input) => !input.indexed).map((input) => input.plan),
      inputs: described,
    };
    eventPlans.set(inputs, plan);
  }
  return plan;
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
  const plan = eventPlanOf(inputs);
  const args: Record<string, unknown> = {};
  const data = dataBytes(dataHex);
  const values = decodeSequence(data, 0, plan.data, shape);
  let topic = 1;
  let value = 0;
  for (const input of plan.inputs) {
    if (input.indexed) {
      const hex = topics[topic++];
      if (hex === undefined) throw new EventDecodingError(`missing topic for ${input.key}`);
      args[input.key] = input.plan.dynamic
        ? hex
        : decodeStatic(word(hexToBytes(hex), 0), input.plan, shape);
    } else {
      args[input.key] = values[value++];
    }
  }
  return args;
}
