import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { AscHeap, type MappingExports } from "./ascHeap.ts";
import { DEFAULT_BUILD_DIR } from "./readBuiltManifest.ts";
import { dataSegmentsEnd } from "./wasmDataEnd.ts";
import { mutableGlobalExportName } from "./exportMutableGlobals.ts";
import { PristineInstance } from "./pristineInstance.ts";
import { loadBuiltMapping } from "./testing/loadBuiltMapping.ts";
import type { WasmMemory } from "./webAssemblyApi.ts";

type Exports = MappingExports & Record<string, unknown> & { _start: () => void };

async function pools() {
  const { module, imports, indices } = await loadBuiltMapping("ProductLots");
  return { make: () => new PristineInstance(module, imports, indices), indices };
}

function stateOf(exports: Record<string, unknown>, indices: readonly number[]) {
  return {
    memory: new Uint8Array((exports.memory as WasmMemory).buffer).slice(),
    globals: indices.map(
      (i) => (exports[mutableGlobalExportName(i)] as { value: unknown } | undefined)?.value,
    ),
  };
}

// Sizes around every rounding edge of the stub allocator, then enough to grow the memory.
const SIZES = [
  0, 1, 3, 4, 11, 12, 13, 15, 16, 17, 28, 29, 32, 44, 45, 100, 1000, 40_000, 70_000, 8,
];

describe("AscHeap.allocate", () => {
  it("leaves memory and globals exactly as the mapping's own __new does, growing the memory included", async () => {
    const { make, indices } = await pools();
    const jsPool = make();
    const js = jsPool.acquire() as Exports;
    const offset = jsPool.allocatorOffset(js);
    assert.notEqual(offset, null, "the stub allocator's offset global is found");
    const wasmSide = make().acquire() as Exports;
    js._start();
    wasmSide._start();
    const bumped = new AscHeap(js, new Map(), offset);
    const called = new AscHeap(wasmSide, new Map(), null);
    const types = ["String", "Uint8Array", "ArrayBuffer", "EthereumValue"] as const;
    SIZES.forEach((size, i) => {
      const type = types[i % types.length] ?? "String";
      assert.equal(bumped.allocate(size, type), called.allocate(size, type), `size ${size}`);
    });
    assert.ok(js.memory.buffer.byteLength > 65536, "the run grew the memory");
    assert.deepEqual(stateOf(js, indices), stateOf(wasmSide, indices));
  });
});

describe("AscHeap string literals", () => {
  it("finds where the data segments end (below the heap) and reads a literal there once, as decoded", async () => {
    const bytes = await readFile(
      path.join(DEFAULT_BUILD_DIR, "DataContainers", "DataContainers.wasm"),
    );
    const end = dataSegmentsEnd(bytes);
    const { module, imports, indices } = await loadBuiltMapping("DataContainers");
    const pool = new PristineInstance(module, imports, indices);
    const exports = pool.acquire() as Exports;
    exports._start();
    const offset = pool.allocatorOffset(exports);
    assert.ok(end > 0 && offset !== null && end <= offset.value, `data end ${end} below the heap`);
    // The entity type name "Container" is a literal: UTF-16 in the data, its byte size before it.
    const memory = new Uint8Array(exports.memory.buffer);
    const utf16 = new Uint8Array(Buffer.from("Container", "utf16le"));
    let ptr = -1;
    for (let i = 4; i + utf16.length <= end && ptr < 0; i++) {
      if (utf16.every((b, k) => memory[i + k] === b) && memory[i - 4] === utf16.length) ptr = i;
    }
    assert.ok(ptr > 0, "the literal is in the data segments");
    const statics = { end, strings: new Map<number, string>() };
    const cached = new AscHeap(exports, new Map(), offset, statics);
    assert.equal(cached.readString(ptr), "Container");
    assert.equal(statics.strings.get(ptr), "Container");
    assert.equal(cached.readString(ptr), new AscHeap(exports, new Map()).readString(ptr));
    // Above the data segments nothing is cached: the heap is rewritten by every call.
    const dynamic = cached.newString("Container");
    assert.equal(cached.readString(dynamic), "Container");
    assert.equal(statics.strings.has(dynamic), false);
  });
});
