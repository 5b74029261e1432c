/**
 * Writes an `ethereum.Event` (graph-ts 0.38 chain/ethereum.ts) for a decoded log into a mapping
 * instance: address, logIndex, transactionLogIndex, logType, block, transaction, parameters, receipt.
 */
import type { AbiParameter, Hex } from "viem";
import { hexToBytesFast as hexToBytes } from "./hex.ts";
import type { AscHeap } from "./ascHeap.ts";
import { abiWordSignedLeLength, bigIntToSignedLe, writeAbiWordSignedLe } from "./bigNumbers.ts";

/** graph-ts `ethereum.ValueKind`. */
const EthereumKind = {
  ADDRESS: 0,
  FIXED_BYTES: 1,
  BYTES: 2,
  INT: 3,
  UINT: 4,
  BOOL: 5,
  STRING: 6,
  FIXED_ARRAY: 7,
  ARRAY: 8,
  TUPLE: 9,
} as const;

/** The block fields the host passes (from the block header the follower fetched). */
export interface EventBlock {
  hash: Hex;
  parentHash: Hex;
  number: bigint;
  timestamp: bigint;
  unclesHash?: Hex;
  author?: Hex;
  stateRoot?: Hex;
  transactionsRoot?: Hex;
  receiptsRoot?: Hex;
  gasUsed?: bigint;
  gasLimit?: bigint;
  difficulty?: bigint;
  totalDifficulty?: bigint;
  size?: bigint;
  baseFeePerGas?: bigint;
}

/**
 * The transaction fields the host passes. Only the hash and index come from the log; the host does
 * not fetch transactions (one RPC call per transaction), so the other fields are zero unless given.
 */
export interface EventTransaction {
  hash: Hex;
  index: bigint;
  from?: Hex;
  to?: Hex | null;
  value?: bigint;
  gasLimit?: bigint;
  gasPrice?: bigint;
  input?: Hex;
  nonce?: bigint;
}

export interface EventInput {
  address: Hex;
  logIndex: bigint;
  transactionLogIndex: bigint;
  block: EventBlock;
  transaction: EventTransaction;
  /** The event's ABI inputs, in order, and the decoded values by name (`decodeEventArgs`, either shape). */
  inputs: readonly AbiParameter[];
  args: Readonly<Record<string, unknown>>;
}

const ZERO_HASH = new Uint8Array(32);
const ZERO_ADDRESS = new Uint8Array(20);
const EMPTY = new Uint8Array(0);

/** A BigInt of an unsigned value: two's complement needs a clear top bit, as graph-node encodes uints. */
function newBigInt(heap: AscHeap, value: bigint): number {
  return heap.newBytes(bigIntToSignedLe(value));
}

function bytesOrZero(heap: AscHeap, hex: Hex | undefined, zero: Uint8Array): number {
  return heap.newBytes(hex === undefined ? zero : hexToBytes(hex));
}

/** Bytes of a value in viem's shape (0x-hex) or the host's (a Uint8Array view of the log). */
function bytesOf(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? value : hexToBytes(value as Hex);
}

function asRecord(value: unknown, what: string): Readonly<Record<string, unknown>> {
  if (typeof value !== "object" || value === null) throw new Error(`${what}: expected a tuple`);
  return value as Record<string, unknown>;
}

/**
 * How a parameter's values are written, worked out once per ABI parameter: parsing the type string
 * per value (a regex and prefix tests for each of a 100-container batch's 1,300 values) showed in
 * profiles.
 */
type ValuePlan =
  | { kind: "array"; fixed: boolean; element: ValuePlan; name: string }
  | { kind: "tuple"; components: readonly { name: string; plan: ValuePlan }[]; name: string }
  | { kind: "address" | "bool" | "string" | "bytes" | "fixedBytes"; name: string }
  | { kind: "integer"; signed: boolean; name: string };

const plans = new WeakMap<AbiParameter, ValuePlan>();

function planOf(parameter: AbiParameter): ValuePlan {
  let plan = plans.get(parameter);
  if (plan === undefined) {
    plan = makePlan(parameter);
    plans.set(parameter, plan);
  }
  return plan;
}

function makePlan(parameter: AbiParameter): ValuePlan {
  const type = parameter.type;
  const name = parameter.name ?? type;
  const arrayMatch = /^(.*)\[(\d*)\]$/.exec(type);
  if (arrayMatch !== null) {
    const element = makePlan({ ...parameter, type: arrayMatch[1] ?? "" });
    return { kind: "array", fixed: arrayMatch[2] !== "", element, name };
  }
  if (type === "tuple") {
    const components = "components" in parameter ? parameter.components : [];
    return {
      kind: "tuple",
      components: components.map((c) => ({ name: c.name ?? "", plan: makePlan(c) })),
      name,
    };
  }
  if (type === "address" || type === "bool" || type === "string" || type === "bytes")
    return { kind: type, name };
  if (type.startsWith("bytes")) return { kind: "fixedBytes", name };
  if (type.startsWith("uint") || type.startsWith("int"))
    return { kind: "integer", signed: !type.startsWith("uint"), name };
  throw new Error(`ABI type ${type} is not supported by the host`);
}

/** An ethereum.Value of an ABI-typed decoded value. */
export function newEthereumValue(heap: AscHeap, parameter: AbiParameter, value: unknown): number {
  return writeValue(heap, planOf(parameter), value);
}

function writeValue(heap: AscHeap, plan: ValuePlan, value: unknown): number {
  switch (plan.kind) {
    case "array": {
      if (!Array.isArray(value)) throw new Error(`${plan.name}: expected an array`);
      const elements = new Array<number>(value.length);
      for (let i = 0; i < value.length; i++) elements[i] = writeValue(heap, plan.element, value[i]);
      const kind = plan.fixed ? EthereumKind.FIXED_ARRAY : EthereumKind.ARRAY;
      return heap.newEnum(kind, heap.newArray(elements, "ArrayEthereumValue"), "EthereumValue");
    }
    case "tuple": {
      const record = asRecord(value, plan.name);
      const components = plan.components;
      const elements = new Array<number>(components.length);
      for (let i = 0; i < components.length; i++) {
        const component = components[i] as { name: string; plan: ValuePlan };
        elements[i] = writeValue(
          heap,
          component.plan,
          Array.isArray(value) ? value[i] : record[component.name],
        );
      }
      return heap.newEnum(
        EthereumKind.TUPLE,
        heap.newArray(elements, "ArrayEthereumValue"),
        "EthereumValue",
      );
    }
    case "address":
      return heap.newEnum(EthereumKind.ADDRESS, heap.newBytes(bytesOf(value)), "EthereumValue");
    case "bool":
      return heap.newEnum(EthereumKind.BOOL, value === true ? 1 : 0, "EthereumValue");
    case "string":
      return heap.newEnum(EthereumKind.STRING, heap.newString(String(value)), "EthereumValue");
    case "bytes":
      return heap.newEnum(EthereumKind.BYTES, heap.newBytes(bytesOf(value)), "EthereumValue");
    case "fixedBytes":
      return heap.newEnum(EthereumKind.FIXED_BYTES, heap.newBytes(bytesOf(value)), "EthereumValue");
    case "integer": {
      const kind = plan.signed ? EthereumKind.INT : EthereumKind.UINT;
      // The host shape: the 32-byte ABI word (decodeEventArgs), its sign from the ABI type.
      if (value instanceof Uint8Array) {
        // Written in place: no Uint8Array per integer to copy in (1,000 a 100-container batch).
        const length = abiWordSignedLeLength(value, plan.signed);
        const bytes = heap.newBytesOfLength(length);
        writeAbiWordSignedLe(value, heap.memoryBytes(), heap.u32(bytes + 4), length);
        return heap.newEnum(kind, bytes, "EthereumValue");
      }
      const number = typeof value === "bigint" ? value : BigInt(value as number);
      return heap.newEnum(kind, newBigInt(heap, number), "EthereumValue");
    }
  }
}

/**
 * The bytes of a block's fields, in `EthereumBlock` order (null: a missing optional field), kept per
 * block object: every event of a block (100 per anchoring transaction) writes the same header.
 */
const blockFields = new WeakMap<EventBlock, readonly (Uint8Array | null)[]>();

function blockFieldBytes(block: EventBlock): readonly (Uint8Array | null)[] {
  let fields = blockFields.get(block);
  if (fields === undefined) {
    const optional = (value: bigint | undefined) =>
      value === undefined ? null : bigIntToSignedLe(value);
    const bytesOrZero = (hex: Hex | undefined, zero: Uint8Array) =>
      hex === undefined ? zero : hexToBytes(hex);
    fields = [
      hexToBytes(block.hash),
      hexToBytes(block.parentHash),
      bytesOrZero(block.unclesHash, ZERO_HASH),
      bytesOrZero(block.author, ZERO_ADDRESS),
      bytesOrZero(block.stateRoot, ZERO_HASH),
      bytesOrZero(block.transactionsRoot, ZERO_HASH),
      bytesOrZero(block.receiptsRoot, ZERO_HASH),
      bigIntToSignedLe(block.number),
      bigIntToSignedLe(block.gasUsed ?? 0n),
      bigIntToSignedLe(block.gasLimit ?? 0n),
      bigIntToSignedLe(block.timestamp),
      bigIntToSignedLe(block.difficulty ?? 0n),
      bigIntToSignedLe(block.totalDifficulty ?? 0n),
      optional(block.size),
      optional(block.baseFeePerGas),
    ];
    blockFields.set(block, fields);
  }
  return fields;
}

function newBlock(heap: AscHeap, block: EventBlock): number {
  const fields = blockFieldBytes(block);
  const pointers = new Array<number>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const bytes = fields[i];
    pointers[i] = bytes === null || bytes === undefined ? 0 : heap.newBytes(bytes);
  }
  return heap.newObject(pointers, "EthereumBlock");
}

function newTransaction(heap: AscHeap, tx: EventTransaction): number {
  return heap.newObject(
    [
      heap.newBytes(hexToBytes(tx.hash)),
      newBigInt(heap, tx.index),
      bytesOrZero(heap, tx.from, ZERO_ADDRESS),
      tx.to === undefined || tx.to === null ? 0 : heap.newBytes(hexToBytes(tx.to)),
      newBigInt(heap, tx.value ?? 0n),
      newBigInt(heap, tx.gasLimit ?? 0n),
      newBigInt(heap, tx.gasPrice ?? 0n),
      bytesOrZero(heap, tx.input, EMPTY),
      newBigInt(heap, tx.nonce ?? 0n),
    ],
    "EthereumTransaction",
  );
}

/** Writes the event and returns its pointer, the handler's argument. */
export function newEthereumEvent(heap: AscHeap, event: EventInput): number {
  const parameters = event.inputs.map((input, i) => {
    const name = input.name ?? "";
    const value = newEthereumValue(heap, input, event.args[name !== "" ? name : String(i)]);
    return heap.newObject([heap.newString(name), value], "EventParam");
  });
  return heap.newObject(
    [
      heap.newBytes(hexToBytes(event.address)),
      newBigInt(heap, event.logIndex),
      newBigInt(heap, event.transactionLogIndex),
      0, // logType: null (no chain reports it since the Parity days)
      newBlock(heap, event.block),
      newTransaction(heap, event.transaction),
      heap.newArray(parameters, "ArrayEventParam"),
      0, // receipt: only with `receipt: true` handlers, which this subgraph does not declare
    ],
    "EthereumEvent",
  );
}
