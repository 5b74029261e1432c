import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { getHashEngine } from "./getHashEngine.ts";
import { jsHashEngine, type HashEngine } from "./hashEngine.ts";
import { createWasmHashEngine } from "./wasmHashEngine.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const wasmEngine = createWasmHashEngine();

function buildWith(engine: HashEngine, leaves: Uint8Array, stride: number, count: number) {
  const build = engine.startTree(count, stride);
  for (let start = 0; start < count; start += build.batchLeaves) {
    const n = Math.min(build.batchLeaves, count - start);
    build.batch.set(leaves.subarray(start * stride, (start + n) * stride));
    build.hashBatch(start, n);
  }
  return build.finish();
}

describe("wasm hash engine", () => {
  it("is the engine Node gets", () => {
    assert.ok(wasmEngine);
    assert.equal(getHashEngine().name, "wasm-keccak");
  });

  it("leaf-hashes every length 0..420 as keccak256(keccak256(x)) with @noble/hashes and the JS engine", () => {
    assert.ok(wasmEngine);
    for (let length = 0; length <= 420; length++) {
      const input = new Uint8Array(length).map((_, i) => (i * 71 + length) & 255);
      const ours = new Uint8Array(40);
      const js = new Uint8Array(32);
      wasmEngine.hashLeafEncodings(input, length, 1, ours, 5);
      jsHashEngine.hashLeafEncodings(input, length, 1, js, 0);
      const expected = hex(keccak_256(keccak_256(input)));
      assert.equal(hex(ours.subarray(5, 37)), expected, `length ${length}`);
      assert.equal(hex(js), expected, `length ${length}`);
    }
  });

  it("hashes random batches like the JS engine", () => {
    assert.ok(wasmEngine);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer(),
        (stride, count, seed) => {
          const packed = new Uint8Array(stride * count).map((_, i) => (i * 31 + seed) & 255);
          const a = new Uint8Array(32 * count);
          const b = new Uint8Array(32 * count);
          wasmEngine.hashLeafEncodings(packed, stride, count, a, 0);
          jsHashEngine.hashLeafEncodings(packed, stride, count, b, 0);
          assert.equal(hex(a), hex(b));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("builds the same nodes and leaf positions as the JS engine, duplicates and batch edges included", () => {
    assert.ok(wasmEngine);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        (count, distinct, words) => {
          // Few distinct leaves, so equal leaf hashes are common (their order must be stable).
          const stride = 32 * words;
          const leaves = new Uint8Array(stride * count).map(
            (_, i) => (Math.floor(i / stride) % distinct) * 7 + (i % stride),
          );
          const ours = buildWith(wasmEngine, leaves, stride, count);
          const js = buildWith(jsHashEngine, leaves, stride, count);
          assert.equal(hex(ours.nodes), hex(js.nodes));
          assert.deepEqual(ours.treeIndexOfValue, js.treeIndexOfValue);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("builds a tree in its own memory above the shared instance's limit", () => {
    assert.ok(wasmEngine);
    const count = 200_000; // ~19 MB of engine memory
    const leaves = new Uint8Array(32 * count).map((_, i) => (i * 13 + (i >> 5)) & 255);
    const ours = buildWith(wasmEngine, leaves, 32, count);
    const js = buildWith(jsHashEngine, leaves.subarray(0, 32 * count), 32, count);
    assert.equal(hex(ours.nodes.subarray(0, 32)), hex(js.nodes.subarray(0, 32)));
  });
});
