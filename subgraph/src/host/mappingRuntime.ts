/**
 * Runs compiled mapping handlers as graph-node does: a fresh WebAssembly instance per handler call
 * (the mappings use AssemblyScript's stub allocator, which never frees; an instance restored to its
 * just-instantiated state, see pristineInstance.ts), `_start` first, the host
 * functions graph-ts imports implemented here against an entity session.
 */
import { readFile } from "node:fs/promises";
import { bytesToString, toHex, type Hex } from "viem";
import { keccak256Into } from "../../../sdk/src/merkle/keccak256Into.ts";
import { hexToBytesFast as hexToBytes } from "./hex.ts";
import type { EntitySchema } from "../query/readEntitySchema.ts";
import type { EntityData } from "../store/openEntityStore.ts";
import { AscHeap, type ClassIds, type MappingExports, type StaticStrings } from "./ascHeap.ts";
import {
  bigIntToSignedLe,
  decimalDividedBy,
  decimalEquals,
  decimalFromString,
  decimalMinus,
  decimalPlus,
  decimalTimes,
  decimalToString,
  signedLeToBigInt,
  signedLeToDecimalString,
  safeIntegerToSignedLe,
  smallSignedLeOrNull,
  type Decimal,
} from "./bigNumbers.ts";
import { newEthereumEvent, type EventInput } from "./ethereumEvent.ts";
import { readEntity, writeEntity } from "./entityValues.ts";
import { exportMutableGlobals } from "./exportMutableGlobals.ts";
import { dataSegmentsEnd } from "./wasmDataEnd.ts";
import { PristineInstance } from "./pristineInstance.ts";
import { trimWasmExports } from "./trimWasmExports.ts";
import { wasm, type WasmModule } from "./webAssemblyApi.ts";

/** Entity reads and writes of the block being indexed. */
export interface EntitySession {
  get(type: string, id: string): EntityData | null;
  /** Only what was written in the current block (graph-ts `loadInBlock`). */
  getInBlock(type: string, id: string): EntityData | null;
  set(type: string, id: string, data: EntityData): void;
  remove(type: string, id: string): void;
}

export interface DataSourceInfo {
  name: string;
  address: Hex;
  network: string;
}

export type LogLevel = "critical" | "error" | "warning" | "info" | "debug";
const LOG_LEVELS: readonly LogLevel[] = ["critical", "error", "warning", "info", "debug"];

export interface HandlerCall {
  dataSource: DataSourceInfo;
  handler: string;
  event: EventInput;
  session: EntitySession;
}

/** A handler aborted, trapped or called a host function wrongly: graph-node's deterministic error. */
export class HandlerError extends Error {
  override name = "HandlerError";
  readonly handler: string;
  constructor(handler: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.handler = handler;
  }
}

interface LoadedModule {
  module: WasmModule;
  instances: PristineInstance;
  classIds: ClassIds;
  statics: StaticStrings;
  handlers: Set<string>;
}

interface CallState {
  heap: AscHeap;
  call: HandlerCall;
}

type HostFunction = (...args: number[]) => number | bigint | undefined;

export interface MappingRuntimeOptions {
  schema: EntitySchema;
  /** Receives log.log output; default: warnings and above to stderr. */
  log?: (level: LogLevel, message: string, dataSource: string) => void;
}

export class MappingRuntime {
  readonly #modules = new Map<string, LoadedModule>();
  readonly #schema: EntitySchema;
  readonly #log: (level: LogLevel, message: string, dataSource: string) => void;
  #state: CallState | null = null;
  readonly #imports: Record<string, Record<string, HostFunction>> = {};

  constructor(options: MappingRuntimeOptions) {
    this.#schema = options.schema;
    this.#log =
      options.log ??
      ((level, message, dataSource) => {
        if (level === "critical" || level === "error" || level === "warning") {
          console.error(`[${dataSource}] ${level}: ${message}`);
        }
      });
  }

  /** Compiles a data source's wasm (once) and checks that the host provides what it imports. */
  async load(dataSource: string, wasmFile: string): Promise<void> {
    // The host allocates through `id_of_type`, never the exported `TypeId.*` globals; dropping them
    // makes each per-call instantiation about twice as cheap (see trimWasmExports).
    const rewritten = exportMutableGlobals(
      trimWasmExports(await readFile(wasmFile), (name) => name.startsWith("TypeId.")),
    );
    const module = await wasm.compile(rewritten.module);
    const exportNames = new Set<string>(wasm.Module.exports(module).map((e) => e.name));
    for (const required of ["memory", "__new", "id_of_type"]) {
      if (!exportNames.has(required)) {
        throw new Error(`${wasmFile}: does not export ${required}; is it a graph-ts mapping?`);
      }
    }
    for (const entry of wasm.Module.imports(module)) {
      this.#imports[entry.module] ??= {};
      const namespace = this.#imports[entry.module] ?? {};
      namespace[entry.name] ??= this.#hostFunction(entry.module, entry.name);
    }
    this.#modules.set(dataSource, {
      module,
      instances: new PristineInstance(module, this.#imports, rewritten.indices),
      classIds: new Map(),
      statics: { end: dataSegmentsEnd(rewritten.module), strings: new Map() },
      handlers: exportNames,
    });
  }

  hasHandler(dataSource: string, handler: string): boolean {
    return this.#modules.get(dataSource)?.handlers.has(handler) === true;
  }

  /** Calls `handler` of the data source on `event` in a fresh instance. */
  run(call: HandlerCall): void {
    const loaded = this.#modules.get(call.dataSource.name);
    if (loaded === undefined) throw new Error(`data source ${call.dataSource.name} is not loaded`);
    const instance = loaded.instances.acquire();
    const exports = instance as unknown as MappingExports & Record<string, unknown>;
    const handler = exports[call.handler];
    if (typeof handler !== "function") {
      loaded.instances.release(instance);
      throw new HandlerError(
        call.handler,
        `${call.dataSource.name} has no handler ${call.handler}`,
      );
    }
    const heap = new AscHeap(
      exports,
      loaded.classIds,
      loaded.instances.allocatorOffset(instance),
      loaded.statics,
    );
    this.#state = { heap, call };
    try {
      const start = exports._start;
      if (typeof start === "function") (start as () => void)();
      const eventPtr = newEthereumEvent(heap, call.event);
      (handler as (ptr: number) => void)(eventPtr);
    } catch (error) {
      if (error instanceof HandlerError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new HandlerError(call.handler, message, { cause: error });
    } finally {
      this.#state = null;
      loaded.instances.release(instance);
    }
  }

  #current(): CallState {
    if (this.#state === null) throw new Error("host function called outside a handler");
    return this.#state;
  }

  #entityType(name: string) {
    const type = this.#schema.typesByName.get(name);
    if (type === undefined) {
      throw new HandlerError(
        this.#current().call.handler,
        `entity type \`${name}\` is not in the schema`,
      );
    }
    return type;
  }

  #hostFunction(module: string, name: string): HostFunction {
    const implementation = this.#implementations()[name];
    if (module === "env" && name === "abort") return this.#abort;
    if (implementation !== undefined) return implementation;
    return () => {
      throw new HandlerError(
        this.#current().call.handler,
        `host function ${module}.${name} is not implemented by the embedded host`,
      );
    };
  }

  readonly #abort: HostFunction = (messagePtr = 0, filePtr = 0, line = 0, column = 0) => {
    const { heap, call } = this.#current();
    const message = messagePtr === 0 ? "abort" : heap.readString(messagePtr);
    const file = filePtr === 0 ? "" : ` in ${heap.readString(filePtr)}`;
    throw new HandlerError(
      call.handler,
      `Mapping aborted${file}, line ${line}, column ${column}, with message: ${message}`,
    );
  };

  #implementations(): Record<string, HostFunction> {
    const heap = () => this.#current().heap;
    const bigIntOf = (ptr: number) => signedLeToBigInt(heap().viewBytes(ptr));
    const newBigInt = (value: bigint) => heap().newBytes(bigIntToSignedLe(value));
    const decimalOf = (ptr: number): Decimal => ({
      digits: bigIntOf(heap().u32(ptr)),
      exp: bigIntOf(heap().u32(ptr + 4)),
    });
    const newDecimal = (value: Decimal) => {
      const digits = newBigInt(value.digits);
      const exp = newBigInt(value.exp);
      return heap().newObject([digits, exp], "BigDecimal");
    };
    const bigIntOp = (op: (a: bigint, b: bigint) => bigint) => (a: number, b: number) =>
      newBigInt(op(bigIntOf(a), bigIntOf(b)));
    // Sums of values of up to 6 bytes stay below 2^49: exact as doubles, so no bigint is made.
    // The mappings' aggregates (energy and emissions sums) are nearly all such sums.
    const smallOf = (ptr: number) => smallSignedLeOrNull(heap().viewBytes(ptr));
    const sumOp = (sign: 1 | -1) => (a: number, b: number) => {
      const x = smallOf(a);
      const y = x === null ? null : smallOf(b);
      if (x !== null && y !== null) return heap().newBytes(safeIntegerToSignedLe(x + sign * y));
      const left = bigIntOf(a);
      const right = bigIntOf(b);
      return newBigInt(sign === 1 ? left + right : left - right);
    };
    const decimalOp = (op: (a: Decimal, b: Decimal) => Decimal) => (a: number, b: number) =>
      newDecimal(op(decimalOf(a), decimalOf(b)));
    const handlerName = () => this.#current().call.handler;

    return {
      "store.get": (typePtr: number, idPtr: number) => {
        const { call } = this.#current();
        const typeName = heap().readString(typePtr);
        const data = call.session.get(typeName, heap().readString(idPtr));
        return data === null
          ? 0
          : writeEntity(heap(), data, this.#entityType(typeName), this.#schema.typesByName);
      },
      "store.get_in_block": (typePtr: number, idPtr: number) => {
        const { call } = this.#current();
        const typeName = heap().readString(typePtr);
        const data = call.session.getInBlock(typeName, heap().readString(idPtr));
        return data === null
          ? 0
          : writeEntity(heap(), data, this.#entityType(typeName), this.#schema.typesByName);
      },
      "store.set": (typePtr: number, idPtr: number, dataPtr: number) => {
        const { call } = this.#current();
        const typeName = heap().readString(typePtr);
        const id = heap().readString(idPtr);
        const type = this.#entityType(typeName);
        let data: EntityData;
        try {
          data = readEntity(heap(), dataPtr, type, id, this.#schema.typesByName);
        } catch (error) {
          throw new HandlerError(
            handlerName(),
            error instanceof Error ? error.message : String(error),
          );
        }
        call.session.set(typeName, id, data);
        return undefined;
      },
      "store.remove": (typePtr: number, idPtr: number) => {
        const typeName = heap().readString(typePtr);
        this.#entityType(typeName);
        this.#current().call.session.remove(typeName, heap().readString(idPtr));
        return undefined;
      },
      "bigInt.plus": sumOp(1),
      "bigInt.minus": sumOp(-1),
      "bigInt.times": bigIntOp((a, b) => a * b),
      "bigInt.dividedBy": bigIntOp((a, b) => {
        if (b === 0n) throw new HandlerError(handlerName(), "attempted to divide BigInt by zero");
        return a / b;
      }),
      "bigInt.mod": bigIntOp((a, b) => {
        if (b === 0n)
          throw new HandlerError(handlerName(), "attempted to take a BigInt modulo zero");
        return a % b;
      }),
      "bigInt.bitOr": bigIntOp((a, b) => a | b),
      "bigInt.bitAnd": bigIntOp((a, b) => a & b),
      "bigInt.pow": (a: number, exponent: number) =>
        newBigInt(bigIntOf(a) ** BigInt(exponent & 0xff)),
      "bigInt.leftShift": (a: number, bits: number) =>
        newBigInt(bigIntOf(a) << BigInt(bits & 0xff)),
      "bigInt.rightShift": (a: number, bits: number) =>
        newBigInt(bigIntOf(a) >> BigInt(bits & 0xff)),
      "bigInt.fromString": (text: number) => {
        const value = heap().readString(text);
        if (!/^-?\d+$/.test(value))
          throw new HandlerError(handlerName(), `not a BigInt: "${value}"`);
        return newBigInt(BigInt(value));
      },
      "bigInt.dividedByDecimal": (a: number, b: number) =>
        newDecimal(decimalDividedBy({ digits: bigIntOf(a), exp: 0n }, decimalOf(b))),
      "bigDecimal.plus": decimalOp(decimalPlus),
      "bigDecimal.minus": decimalOp(decimalMinus),
      "bigDecimal.times": decimalOp(decimalTimes),
      "bigDecimal.dividedBy": decimalOp((a, b) => {
        if (b.digits === 0n)
          throw new HandlerError(handlerName(), "attempted to divide BigDecimal by zero");
        return decimalDividedBy(a, b);
      }),
      "bigDecimal.equals": (a: number, b: number) =>
        decimalEquals(decimalOf(a), decimalOf(b)) ? 1 : 0,
      "bigDecimal.toString": (a: number) => heap().newString(decimalToString(decimalOf(a))),
      "bigDecimal.fromString": (text: number) => {
        try {
          return newDecimal(decimalFromString(heap().readString(text)));
        } catch (error) {
          throw new HandlerError(
            handlerName(),
            error instanceof Error ? error.message : String(error),
          );
        }
      },
      "typeConversion.bytesToString": (ptr: number) =>
        // graph-node drops NUL characters (Postgres text cannot hold them); do the same.
        heap().newString(bytesToString(heap().readBytes(ptr)).replaceAll("\u0000", "")),
      "typeConversion.bytesToHex": (ptr: number) => heap().newString(heap().readHex(ptr)),
      "typeConversion.bigIntToString": (ptr: number) =>
        heap().newString(signedLeToDecimalString(heap().viewBytes(ptr))),
      "typeConversion.bigIntToHex": (ptr: number) => heap().newString(toHex(bigIntOf(ptr))),
      "typeConversion.stringToH160": (ptr: number) => {
        const text = heap().readString(ptr);
        const hex = (text.startsWith("0x") ? text : `0x${text}`) as Hex;
        if (!/^0x[0-9a-fA-F]{40}$/.test(hex))
          throw new HandlerError(handlerName(), `not an address: "${text}"`);
        return heap().newBytes(hexToBytes(hex));
      },
      // The sdk's allocation-free keccak (3-4x noble's, see keccak256Into.ts): the container id of
      // every anchored container is one.
      "crypto.keccak256": (ptr: number) => {
        const digest = new Uint8Array(32);
        const input = heap().viewBytes(ptr);
        keccak256Into(input, 0, input.length, digest, 0);
        return heap().newBytes(digest);
      },
      "log.log": (level: number, messagePtr: number) => {
        const { call } = this.#current();
        const levelName = LOG_LEVELS[level] ?? "info";
        const message = heap().readString(messagePtr);
        this.#log(levelName, message, call.dataSource.name);
        // graph-node fails the handler on a critical log.
        if (levelName === "critical")
          throw new HandlerError(call.handler, `Critical error logged: ${message}`);
        return undefined;
      },
      "dataSource.address": () =>
        heap().newBytes(hexToBytes(this.#current().call.dataSource.address)),
      "dataSource.network": () => heap().newString(this.#current().call.dataSource.network),
      "dataSource.context": () =>
        heap().newObject(
          [heap().newArray([], "ArrayTypedMapEntryStringStoreValue")],
          "TypedMapStringStoreValue",
        ),
    };
  }
}
