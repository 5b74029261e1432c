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
    return {
      memory: new Uint8Array(memory.buffer).slice(),
      values: globals.map((global) => global.value),
    };
  }
}
