import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { KECCAK_WASM_BASE64 } from "../generated/keccakWasm.ts";
import { instantiateKeccakWasm } from "../internal/wasmHashEngine.ts";
import { KECCAK_WASM_LAYOUT } from "./keccakWasmLayout.ts";
import {
  assembleKeccakWasm,
  keccakRotations,
  keccakRoundConstants,
  renderKeccakWasmModule,
} from "./assembleKeccakWasm.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("assembleKeccakWasm", () => {
  it("regenerates exactly the committed generated/keccakWasm.ts module", () => {
    const bytes = assembleKeccakWasm();
    assert.equal(Buffer.from(KECCAK_WASM_BASE64, "base64").equals(Buffer.from(bytes)), true);
    assert.match(renderKeccakWasmModule(bytes), /Generated — do not edit/);
  });

  it("stays under the 4 KB browsers compile synchronously on the main thread", () => {
    assert.ok(assembleKeccakWasm().length < 4096);
  });

  it("derives FIPS 202's tables (spot values)", () => {
    const rc = keccakRoundConstants();
    assert.equal(rc[0], 1n);
    assert.equal(rc[1], 0x8082n);
    assert.equal(rc[23], 0x8000000080008008n);
    const r = keccakRotations();
    assert.deepEqual(r[0], [0, 36, 3, 41, 18]);
    assert.deepEqual(r[4], [27, 20, 39, 8, 14]);
  });

  it("keccak(in, len, out) equals @noble/hashes keccak_256 for every length 0..420 at odd offsets", () => {
    const { memory, keccak } = instantiateKeccakWasm(assembleKeccakWasm());
    const mem = new Uint8Array(memory.buffer);
    const inputAt = KECCAK_WASM_LAYOUT.heapStart + 3;
    const outAt = KECCAK_WASM_LAYOUT.heapStart + 1001;
    for (let length = 0; length <= 420; length++) {
      const input = new Uint8Array(length).map((_, i) => (i * 131 + length * 17 + 7) & 255);
      mem.set(input, inputAt);
      keccak(inputAt, length, outAt);
      assert.equal(
        hex(mem.subarray(outAt, outAt + 32)),
        hex(keccak_256(input)),
        `length ${length}`,
      );
    }
  });
});
