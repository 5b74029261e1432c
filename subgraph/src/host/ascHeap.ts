/**
 * Reads and writes AssemblyScript (0.19, stub runtime) objects in a mapping instance's memory, in the
 * layouts graph-ts 0.38 declares: every managed object has a 20-byte header ending in its class id
 * (ptr - 8) and payload size (ptr - 4); strings are UTF-16; typed arrays are {buffer, dataStart,
 * byteLength}; arrays add `length`; classes lay out their fields in declaration order, aligned.
 */

/** graph-ts `TypeId` discriminants the host allocates (global/global.ts). */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayUint8Array: 14,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayString: 18,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringStoreValue: 21,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  EthereumValue: 30,
  StoreValue: 31,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapStringStoreValue: 36,
} as const;
export type TypeIdName = keyof typeof TypeId;

import type { WasmMemory } from "./webAssemblyApi.ts";

/** The exports the host needs from a compiled mapping. */
export interface MappingExports {
  memory: WasmMemory;
  __new: (size: number, classId: number) => number;
  id_of_type: (typeId: number) => number;
}

/** Class ids are fixed at compile time: resolved once per module, shared by its instances. */
export type ClassIds = Map<TypeIdName, number>;

/**
 * String literals of a module (entity, field and type names), read once per module: they live in
 * the data segments, below `end`, which every instance starts with and which AssemblyScript never
 * writes (strings are immutable; the allocator only hands out memory above `end`). The same JS
 * string each time also makes the host's Map lookups and property stores by that name cheaper.
 */
export interface StaticStrings {
  end: number;
  strings: Map<number, string>;
}

const utf16 = new TextDecoder("utf-16le");
const SURROGATE = /[\uD800-\uDFFF]/;

/** The largest `__new` size the stub accepts (bigger aborts inside the mapping). */
const OBJECT_MAXSIZE = 1073741804;

export class AscHeap {
  readonly #exports: MappingExports;
  readonly #classIds: ClassIds;
  readonly #offset: { value: number } | null;
  readonly #statics: StaticStrings | null;
  #bytes = new Uint8Array(0);
  #view = new DataView(new ArrayBuffer(0));
  // Word and half-word views for aligned accesses: object headers and fields are 4-aligned and
  // strings 16-aligned, and an indexed store is cheaper than a DataView call per field.
  #words = new Uint32Array(0);
  #halves = new Uint16Array(0);
  // Node's native hex and UTF-16 decoders over the memory: ~3-4x a JavaScript loop even on the
  // 20-66 character strings the mappings pass (ids, entity fields).
  #buffer = Buffer.alloc(0);

  /**
   * @param offset the instance's stub allocator offset global (pristineInstance.ts finds it); with
   *   it the host bump-allocates in JavaScript instead of calling `__new` for every object
   * @param statics the module's string literals read so far (see StaticStrings)
   */
  constructor(
    exports: MappingExports,
    classIds: ClassIds,
    offset: { value: number } | null = null,
    statics: StaticStrings | null = null,
  ) {
    this.#exports = exports;
    this.#classIds = classIds;
    this.#offset = offset;
    this.#statics = statics;
  }

  // Memory may grow on any allocation (the mapping's own too), which detaches the old ArrayBuffer:
  // a view of a detached buffer has length 0, a cheaper test than reading `memory.buffer` each time.
  #refresh(): void {
    if (this.#bytes.length !== 0) return;
    const buffer = this.#exports.memory.buffer;
    this.#bytes = new Uint8Array(buffer);
    this.#view = new DataView(buffer);
    this.#words = new Uint32Array(buffer);
    this.#halves = new Uint16Array(buffer);
    this.#buffer = Buffer.from(buffer);
  }

  classId(name: TypeIdName): number {
    let id = this.#classIds.get(name);
    if (id === undefined) {
      id = this.#exports.id_of_type(TypeId[name]);
      this.#classIds.set(name, id);
    }
    return id;
  }

  /**
   * AssemblyScript 0.19's stub `__new(size, id)`, done in JavaScript when the offset global is known:
   * at the offset a block header (u32 payload size), then the object header (gcInfo, gcInfo2 = 0,
   * class id, size), then the object; payload = align16(size + 20) - 4, the offset moves past it.
   * The memory and globals after it are byte for byte those `__new` leaves (ascHeap.test.ts). An
   * allocation that needs more memory goes to `__new`, which grows the memory as the stub does.
   */
  allocate(size: number, type: TypeIdName): number {
    const offset = this.#offset;
    if (offset !== null && size <= OBJECT_MAXSIZE) {
      const block = offset.value;
      const payload = ((size + 35) & ~15) - 4;
      const end = block + 4 + payload;
      this.#refresh();
      if (end <= this.#bytes.length && (block & 3) === 0) {
        const classId = this.classId(type);
        this.#refresh();
        this.#header(block, payload, classId, size);
        offset.value = end;
        return block + 20;
      }
    }
    return this.#exports.__new(size, this.classId(type));
  }

  /** The stub's block and object headers at a 4-aligned `block` (memory fresh, see allocate). */
  #header(block: number, payload: number, classId: number, size: number): void {
    const words = this.#words;
    const i = block >>> 2;
    words[i] = payload;
    words[i + 1] = 0;
    words[i + 2] = 0;
    words[i + 3] = classId;
    words[i + 4] = size;
  }

  /**
   * A Uint8Array of `length` bytes (contents left as the allocator gives them: zero) and its
   * ArrayBuffer, the two allocations `allocate` would make, laid out at once. Returns the
   * Uint8Array's pointer; its contents start at `ptr`'s dataStart (`u32(ptr + 4)`).
   */
  newBytesOfLength(length: number): number {
    const offset = this.#offset;
    if (offset !== null && length <= OBJECT_MAXSIZE) {
      const block = offset.value;
      const bufferSpan = (length + 35) & ~15;
      const end = block + bufferSpan + 32;
      this.#refresh();
      if (end <= this.#bytes.length && (block & 3) === 0) {
        const bufferId = this.classId("ArrayBuffer");
        const arrayId = this.classId("Uint8Array");
        this.#refresh();
        this.#header(block, bufferSpan - 4, bufferId, length);
        const buffer = block + 20;
        const array = block + bufferSpan;
        this.#header(array, 28, arrayId, 12);
        const words = this.#words;
        const i = (array + 20) >>> 2;
        words[i] = buffer;
        words[i + 1] = buffer;
        words[i + 2] = length;
        offset.value = end;
        return array + 20;
      }
    }
    const buffer = this.allocate(length, "ArrayBuffer");
    const ptr = this.allocate(12, "Uint8Array");
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, length);
    return ptr;
  }

  /** The mapping memory's bytes (valid until the next allocation), to fill newBytesOfLength's contents. */
  memoryBytes(): Uint8Array {
    this.#refresh();
    return this.#bytes;
  }

  u32(ptr: number): number {
    this.#refresh();
    return (ptr & 3) === 0 ? (this.#words[ptr >>> 2] ?? 0) : this.#view.getUint32(ptr, true);
  }

  i32(ptr: number): number {
    this.#refresh();
    return this.#view.getInt32(ptr, true);
  }

  u64(ptr: number): bigint {
    this.#refresh();
    return this.#view.getBigUint64(ptr, true);
  }

  setU32(ptr: number, value: number): void {
    this.#refresh();
    if ((ptr & 3) === 0) this.#words[ptr >>> 2] = value;
    else this.#view.setUint32(ptr, value, true);
  }

  setU64(ptr: number, value: bigint): void {
    this.#refresh();
    this.#view.setBigUint64(ptr, value, true);
  }

  /** Payload size in bytes recorded in the object header. */
  sizeOf(ptr: number): number {
    return this.u32(ptr - 4);
  }

  readString(ptr: number): string {
    const statics = this.#statics;
    if (statics !== null && ptr < statics.end && ptr !== 0) {
      let text = statics.strings.get(ptr);
      if (text === undefined) {
        // The internalized copy (a property key comes back internalized): the host stores entity
        // fields under these names, and a store with an internalized key takes V8's fast path.
        text = Object.keys({ [this.#decodeString(ptr)]: 0 })[0] ?? this.#decodeString(ptr);
        statics.strings.set(ptr, text);
      }
      return text;
    }
    return this.#decodeString(ptr);
  }

  #decodeString(ptr: number): string {
    if (ptr === 0) throw new Error("null string passed to the host");
    const length = this.sizeOf(ptr);
    this.#refresh();
    // Node's UTF-16 decoding keeps every code unit as it is, as String.fromCharCode per unit did
    // for short strings; TextDecoder (used for longer ones before) turns a lone surrogate into
    // U+FFFD, so a long string with a surrogate still goes to it.
    const text = this.#buffer.toString("utf16le", ptr, ptr + length);
    if (length > 64 && SURROGATE.test(text))
      return utf16.decode(this.#bytes.subarray(ptr, ptr + length));
    return text;
  }

  /** A copy of a Uint8Array's (Bytes, BigInt, Address) contents. */
  readBytes(ptr: number): Uint8Array {
    if (ptr === 0) throw new Error("null bytes passed to the host");
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    return this.#bytes.slice(dataStart, dataStart + byteLength);
  }

  /**
   * A view of a Uint8Array's contents in the mapping memory, without a copy: valid only until the
   * next allocation (which may grow and detach the memory), so read it at once.
   */
  viewBytes(ptr: number): Uint8Array {
    if (ptr === 0) throw new Error("null bytes passed to the host");
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    return this.#bytes.subarray(dataStart, dataStart + byteLength);
  }

  /** Element pointers (or 32-bit values) of an Array<T> of references. */
  readArray(ptr: number): number[] {
    const dataStart = this.u32(ptr + 4);
    const length = this.u32(ptr + 12);
    const out = new Array<number>(length);
    for (let i = 0; i < length; i++) out[i] = this.#view.getUint32(dataStart + i * 4, true);
    return out;
  }

  newString(value: string): number {
    const ptr = this.allocate(value.length * 2, "String");
    this.#refresh();
    if ((ptr & 1) === 0) {
      const halves = this.#halves;
      const start = ptr >>> 1;
      for (let i = 0; i < value.length; i++) halves[start + i] = value.charCodeAt(i);
    } else {
      for (let i = 0; i < value.length; i++)
        this.#view.setUint16(ptr + i * 2, value.charCodeAt(i), true);
    }
    return ptr;
  }

  newArrayBuffer(bytes: Uint8Array): number {
    const ptr = this.allocate(bytes.length, "ArrayBuffer");
    this.#refresh();
    this.#bytes.set(bytes, ptr);
    return ptr;
  }

  /** A Uint8Array (graph-ts Bytes, Address, BigInt all are one). */
  newBytes(bytes: Uint8Array): number {
    const ptr = this.newBytesOfLength(bytes.length);
    const dataStart = this.u32(ptr + 4);
    this.#bytes.set(bytes, dataStart);
    return ptr;
  }

  /** An Array<T> of references (`type` is the Array class, e.g. ArrayEthereumValue). */
  newArray(elements: readonly number[], type: TypeIdName): number {
    const buffer = this.allocate(elements.length * 4, "ArrayBuffer");
    this.#refresh();
    if ((buffer & 3) === 0) {
      const words = this.#words;
      const start = buffer >>> 2;
      for (let i = 0; i < elements.length; i++) words[start + i] = elements[i] ?? 0;
    } else {
      for (let i = 0; i < elements.length; i++)
        this.#view.setUint32(buffer + i * 4, elements[i] ?? 0, true);
    }
    const ptr = this.allocate(16, type);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, elements.length * 4);
    this.setU32(ptr + 12, elements.length);
    return ptr;
  }

  /** An object whose fields are all 32-bit (pointers), in declaration order. */
  newObject(fields: readonly number[], type: TypeIdName): number {
    const ptr = this.allocate(fields.length * 4, type);
    this.#refresh();
    if ((ptr & 3) === 0) {
      const words = this.#words;
      const start = ptr >>> 2;
      for (let i = 0; i < fields.length; i++) words[start + i] = fields[i] ?? 0;
    } else {
      for (let i = 0; i < fields.length; i++)
        this.#view.setUint32(ptr + i * 4, fields[i] ?? 0, true);
    }
    return ptr;
  }

  /**
   * A graph-ts enum-like value class: `kind: i32` then an 8-aligned `data: u64` payload. A number
   * payload (a pointer, a bool) is written as its low 32 bits, without a bigint.
   */
  newEnum(kind: number, payload: bigint | number, type: TypeIdName): number {
    const ptr = this.allocate(16, type);
    this.#refresh();
    if (typeof payload === "number" && (ptr & 3) === 0) {
      const words = this.#words;
      const i = ptr >>> 2;
      words[i] = kind;
      words[i + 1] = 0;
      words[i + 2] = payload;
      words[i + 3] = 0;
      return ptr;
    }
    this.setU32(ptr, kind);
    this.setU32(ptr + 4, 0);
    if (typeof payload === "number") {
      this.setU32(ptr + 8, payload);
      this.setU32(ptr + 12, 0);
    } else this.setU64(ptr + 8, payload);
    return ptr;
  }

  /** The kind of an enum-like value class. */
  enumKind(ptr: number): number {
    return this.i32(ptr);
  }

  /** The low 32 bits of an enum-like value's payload (its pointer, for a reference kind). */
  enumLow(ptr: number): number {
    return this.u32(ptr + 8);
  }

  /** The high 32 bits of an enum-like value's payload, signed. */
  enumHigh(ptr: number): number {
    return this.i32(ptr + 12);
  }

  /** A Uint8Array's contents as 0x-hex, read in place. */
  readHex(ptr: number): `0x${string}` {
    if (ptr === 0) throw new Error("null bytes passed to the host");
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    return `0x${this.#buffer.toString("hex", dataStart, dataStart + byteLength)}`;
  }
}
