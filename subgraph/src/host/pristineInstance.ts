/**
 * graph-node runs every handler call in a fresh instance of the mapping (AssemblyScript's stub
 * allocator never frees). Instantiating costs more than most handlers; this hands out one instance
 * per module and, after each call, puts it back in exactly the state a fresh instantiation has.
 *
 * Why that is the same thing: a mapping instance's whole mutable state is its memory, its mutable
 * globals and its table. The mappings import none of them (the host checks: a module importing a
 * memory, table or global is always instantiated fresh), AssemblyScript never writes the table, and
 * instantiation is deterministic (data segments into zeroed memory, constant global initializers).
 * So the state right after the first instantiation is the state of every fresh one; after a call the
 * host copies that memory image back and resets every mutable global (exported for the purpose by
 * exportMutableGlobals.ts). When a call grew the memory, the instance is dropped instead, so a
 * handler always starts with the initial memory size too (`memory.size` and bounds traps stay equal).
 */
import { mutableGlobalExportName } from "./exportMutableGlobals.ts";
import { wasm, type WasmMemory, type WasmModule } from "./webAssemblyApi.ts";

interface WasmGlobal {
  value: unknown;
}

interface Snapshot {
  memory: Uint8Array;
  /** Initial values of the mutable globals, in `globalIndices` order. */
  values: unknown[];
  /** Position in `globalIndices` of the stub allocator's `offset`, or -1 when not found. */
  allocatorOffset: number;
}

/** The mutable global holding AssemblyScript's stub allocator offset (see ascHeap.ts `allocate`). */
export interface AllocatorOffset {
  value: number;
}

export class PristineInstance {
  readonly #module: WasmModule;
  readonly #imports: Record<string, Record<string, unknown>>;
  readonly #globalIndices: readonly number[];
  readonly #reusable: boolean;
  #snapshot: Snapshot | null = null;
  #idle: Record<string, unknown> | null = null;
  readonly #globalsOf = new WeakMap<Record<string, unknown>, WasmGlobal[]>();

  /**
   * @param globalIndices the module's mutable globals, each exported as `mutableGlobalExportName(i)`
   */
  constructor(
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
    globalIndices: readonly number[],
  ) {
    this.#module = module;
    this.#imports = imports;
    this.#globalIndices = globalIndices;
    this.#reusable = wasm.Module.imports(module).every((entry) => entry.kind === "function");
  }

  /** Exports of an instance in its just-instantiated state; give it back with `release`. */
  acquire(): Record<string, unknown> {
    const idle = this.#idle;
    if (idle !== null) {
      this.#idle = null;
      return idle;
    }
    const exports = new wasm.Instance(this.#module, this.#imports).exports;
    if (this.#reusable && this.#snapshot === null) this.#snapshot = this.#take(exports);
    return exports;
  }

  /** Restores the instance after a call (trapped or not) and keeps it for the next one. */
  release(exports: Record<string, unknown>): void {
    const snapshot = this.#snapshot;
    if (snapshot === null) return;
    const buffer = (exports.memory as WasmMemory).buffer;
    // A grown memory cannot shrink back: a fresh instance next time.
    if (buffer.byteLength !== snapshot.memory.byteLength) return;
    const globals = this.#globals(exports);
    if (globals === null) return;
    new Uint8Array(buffer).set(snapshot.memory);
    globals.forEach((global, i) => {
      global.value = snapshot.values[i];
    });
    this.#idle = exports;
  }

  /**
   * The global holding the stub allocator's offset in an instance this pool handed out, or null (a
   * module not reused, or whose allocator did not behave as AssemblyScript 0.19's stub does).
   */
  allocatorOffset(exports: Record<string, unknown>): AllocatorOffset | null {
    const index = this.#snapshot?.allocatorOffset ?? -1;
    if (index < 0) return null;
    // An i32 global (checked by the probe: it held numbers).
    return (this.#globals(exports)?.[index] as AllocatorOffset | undefined) ?? null;
  }

  /** The instance's mutable globals, or null when the module does not export them all. */
  #globals(exports: Record<string, unknown>): WasmGlobal[] | null {
    let globals = this.#globalsOf.get(exports);
    if (globals !== undefined) return globals;
    globals = [];
    for (const index of this.#globalIndices) {
      const global = exports[mutableGlobalExportName(index)] as WasmGlobal | undefined;
      if (global === undefined) return null;
      globals.push(global);
    }
    this.#globalsOf.set(exports, globals);
    return globals;
  }

  #take(exports: Record<string, unknown>): Snapshot | null {
    const memory = exports.memory as WasmMemory | undefined;
    const globals = this.#globals(exports);
    if (memory === undefined || globals === null) return null;
    const snapshot: Snapshot = {
      memory: new Uint8Array(memory.buffer).slice(),
      values: globals.map((global) => global.value),
      allocatorOffset: -1,
    };
    snapshot.allocatorOffset = this.#findAllocatorOffset(exports, globals, snapshot);
    return snapshot;
  }

  /**
   * Finds the stub allocator's offset by one probe allocation: `__new(0, 0)` returns the block start
   * + 20 and moves the offset by 32 (a 4-byte block header, a 16-byte object header, payload rounded
   * up to 16). The one global that moved exactly so is the offset. The probe is undone at once.
   */
  #findAllocatorOffset(
    exports: Record<string, unknown>,
    globals: WasmGlobal[],
    snapshot: Snapshot,
  ): number {
    const allocate = exports.__new;
    if (typeof allocate !== "function") return -1;
    let found = -1;
    try {
      const before = globals.map((global) => global.value);
      const ptr = (allocate as (size: number, id: number) => number)(0, 0);
      const moved = globals.flatMap((global, i) =>
        global.value !== before[i] ? [{ i, from: before[i], to: global.value }] : [],
      );
      const only = moved.length === 1 ? moved[0] : undefined;
      if (
        only !== undefined &&
        typeof only.to === "number" &&
        only.from === ptr - 20 &&
        only.to === ptr + 12
      )
        found = only.i;
    } catch {
      // A module whose __new is not the stub's: the host keeps calling __new.
    }
    new Uint8Array((exports.memory as WasmMemory).buffer).set(snapshot.memory);
    globals.forEach((global, i) => {
      global.value = snapshot.values[i];
    });
    return found;
  }
}
