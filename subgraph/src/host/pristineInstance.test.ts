import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { exportMutableGlobals, mutableGlobalExportName } from "./exportMutableGlobals.ts";
import { PristineInstance } from "./pristineInstance.ts";
import { DEFAULT_BUILD_DIR } from "./readBuiltManifest.ts";
import { loadBuiltMapping } from "./testing/loadBuiltMapping.ts";
import { wasm, type WasmMemory } from "./webAssemblyApi.ts";

type Exports = Record<string, unknown> & {
  memory: WasmMemory;
  _start: () => void;
  __new: (size: number, classId: number) => number;
};

function loadJobStamps() {
  return loadBuiltMapping("JobStamps");
}

/** Memory bytes and mutable global values: the whole state a call can change. */
function stateOf(exports: Record<string, unknown>, indices: readonly number[]) {
  return {
    memory: new Uint8Array((exports.memory as WasmMemory).buffer).slice(),
    globals: indices.map(
      (i) => (exports[mutableGlobalExportName(i)] as { value: unknown } | undefined)?.value,
    ),
  };
}

describe("exportMutableGlobals", () => {
  it("exports every mutable global of a built mapping (the allocator's offset among them) and keeps the rest", async () => {
    const bytes = await readFile(path.join(DEFAULT_BUILD_DIR, "JobStamps", "JobStamps.wasm"));
    const before = wasm.Module.exports(await wasm.compile(bytes));
    const { module, indices } = exportMutableGlobals(bytes);
    const after = wasm.Module.exports(await wasm.compile(module));
    assert.ok(indices.length > 0);
    assert.deepEqual(after.slice(0, before.length), before);
    assert.deepEqual(
      after.slice(before.length).map((e) => e.name),
      indices.map(mutableGlobalExportName),
    );
  });
});

describe("PristineInstance", () => {
  it("hands back an instance in the state of a fresh one after a call allocated and ran _start", async () => {
    const { module, imports, indices } = await loadJobStamps();
    const fresh = new wasm.Instance(module, imports).exports;
    const expected = stateOf(fresh, indices);

    const pool = new PristineInstance(module, imports, indices);
    const first = pool.acquire() as Exports;
    first._start();
    for (let i = 0; i < 50; i++) first.__new(64, 0);
    const dirty = stateOf(first, indices);
    assert.notDeepEqual(dirty, expected, "the call changed memory and globals");
    pool.release(first);

    const second = pool.acquire();
    assert.equal(second, first, "the same instance, reused");
    assert.deepEqual(stateOf(second, indices), expected);
  });

  it("drops an instance whose memory grew, so every call starts at the initial memory size", async () => {
    const { module, imports, indices } = await loadJobStamps();
    const pool = new PristineInstance(module, imports, indices);
    const first = pool.acquire() as Exports;
    const initialSize = first.memory.buffer.byteLength;
    first._start();
    first.__new(initialSize * 2, 0);
    assert.ok(first.memory.buffer.byteLength > initialSize);
    pool.release(first);
    const second = pool.acquire() as Exports;
    assert.notEqual(second, first);
    assert.equal(second.memory.buffer.byteLength, initialSize);
    const fresh = new wasm.Instance(module, imports).exports;
    assert.deepEqual(stateOf(second, indices), stateOf(fresh, indices));
  });
});
