/**
 * Writes an `ethereum.Event` (graph-ts 0.38 chain/ethereum.ts) for a decoded log into a mapping
 * instance: address, logIndex, transactionLogIndex, logType, block, transaction, parameters, receipt.
 */
import type { AbiParameter, Hex } from "viem";
import { hexToBytesFast as hexToBytes } from "./hex.ts";
import type { AscHeap } from "./ascHeap.ts";
import { abiWordToSignedLe, bigIntToSignedLe } from "./bigNumbers.ts";
import { AbiWord } from "./decodeEventArgs.ts";

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

/** An ethereum.Value of an ABI-typed decoded value. */
export function newEthereumValue(heap: AscHeap, parameter: AbiParameter, value: unknown): number {
  const type = parameter.type;
  const arrayMatch = /^(.*)\[(\d*)\]$/.exec(type);
  if (arrayMatch !== null) {
    const elementType: AbiParameter = { ...parameter, type: arrayMatch[1] ?? "" };
    if (!Array.isArray(value)) throw new Error(`${parameter.name ?? type}: expected an array`);
    const elements = value.map((element: unknown) => newEthereumValue(heap, elementType, element));
    const kind = arrayMatch[2] === "" ? EthereumKind.ARRAY : EthereumKind.FIXED_ARRAY;
    return heap.newEnum(kind, heap.newArray(elements, "ArrayEthereumValue"), "EthereumValue");
  }
  if (type === "tuple") {
    const components = "components" in parameter ? parameter.components : [];
    const record = asRecord(value, parameter.name ?? type);
    const elements = components.map((component, i) =>
      newEthereumValue(
        heap,
        component,
        Array.isArray(value) ? value[i] : record[component.name ?? ""],
      ),
    );
    return heap.newEnum(
      EthereumKind.TUPLE,
      heap.newArray(elements, "ArrayEthereumValue"),
      "EthereumValue",
    );
  }
  if (type === "address") {
    return heap.newEnum(EthereumKind.ADDRESS, heap.newBytes(bytesOf(value)), "EthereumValue");
  }
  if (type === "bool")
    return heap.newEnum(EthereumKind.BOOL, value === true ? 1 : 0, "EthereumValue");
  if (type === "string") {
    return heap.newEnum(EthereumKind.STRING, heap.newString(String(value)), "EthereumValue");
  }
  if (type === "bytes") {
    return heap.newEnum(EthereumKind.BYTES, heap.newBytes(bytesOf(value)), "EthereumValue");
  }
  if (type.startsWith("bytes")) {
    return heap.newEnum(EthereumKind.FIXED_BYTES, heap.newBytes(bytesOf(value)), "EthereumValue");
  }
  if (type.startsWith("uint") || type.startsWith("int")) {
    const kind = type.startsWith("uint") ? EthereumKind.UINT : EthereumKind.INT;
    if (value instanceof AbiWord) {
      const bytes = heap.newBytes(abiWordToSignedLe(value.bytes, value.signed));
      return heap.newEnum(kind, bytes, "EthereumValue");
    }
    const number = typeof value === "bigint" ? value : BigInt(value as number);
    return heap.newEnum(kind, newBigInt(heap, number), "EthereumValue");
  }
  throw new Error(`ABI type ${type} is not supported by the host`);
}

function newBlock(heap: AscHeap, block: EventBlock): number {
  const optional = (value: bigint | undefined) =>
    value === undefined ? 0 : newBigInt(heap, value);
  return heap.newObject(
    [
      heap.newBytes(hexToBytes(block.hash)),
      heap.newBytes(hexToBytes(block.parentHash)),
      bytesOrZero(heap, block.unclesHash, ZERO_HASH),
      bytesOrZero(heap, block.author, ZERO_ADDRESS),
      bytesOrZero(heap, block.stateRoot, ZERO_HASH),
      bytesOrZero(heap, block.transactionsRoot, ZERO_HASH),
      bytesOrZero(heap, block.receiptsRoot, ZERO_HASH),
      newBigInt(heap, block.number),
      newBigInt(heap, block.gasUsed ?? 0n),
      newBigInt(heap, block.gasLimit ?? 0n),
      newBigInt(heap, block.timestamp),
      newBigInt(heap, block.difficulty ?? 0n),
      newBigInt(heap, block.totalDifficulty ?? 0n),
      optional(block.size),
      optional(block.baseFeePerGas),
    ],
    "EthereumBlock",
  );
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
      bytesOrZero(heap, tx.input, new Uint8Array(0)),
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
