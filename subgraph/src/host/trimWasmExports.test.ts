import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_BUILD_DIR } from "./readBuiltManifest.ts";
import { trimWasmExports } from "./trimWasmExports.ts";
import { wasm } from "./webAssemblyApi.ts";

describe("trimWasmExports", () => {
  it("drops only the named exported globals of a built mapping, keeping every function and the memory", async () => {
    const bytes = await readFile(path.join(DEFAULT_BUILD_DIR, "JobStamps", "JobStamps.wasm"));
    const original = wasm.Module.exports(await wasm.compile(bytes));
    const trimmed = wasm.Module.exports(
      await wasm.compile(trimWasmExports(bytes, (name) => name.startsWith("TypeId."))),
    );
    const expected = original.filter((e) => !(e.kind === "global" && e.name.startsWith("TypeId.")));
    assert.ok(
      original.length - expected.length > 100,
      "graph-ts exports its TypeId enum as globals",
    );
    assert.deepEqual(trimmed, expected);
  });

  it("returns an equal module when nothing matches", async () => {
    const bytes = await readFile(path.join(DEFAULT_BUILD_DIR, "JobStamps", "JobStamps.wasm"));
    assert.deepEqual(
      trimWasmExports(bytes, () => false),
      new Uint8Array(bytes),
    );
  });
});
