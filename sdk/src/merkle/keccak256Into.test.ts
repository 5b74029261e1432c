import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { hashSortedPairInto, keccak256Into } from "./keccak256Into.ts";

function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 131 + seed * 17 + 7) & 255;
  return out;
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("keccak256Into", () => {
  it("gives Ethereum's keccak256 of the empty input", () => {
    const out = new Uint8Array(32);
    keccak256Into(new Uint8Array(0), 0, 0, out, 0);
    assert.equal(hex(out), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });

  it("equals @noble/hashes keccak_256 for every length 0..420 at odd offsets", () => {
    const out = new Uint8Array(40);
    for (let length = 0; length <= 420; length++) {
      const input = bytes(length + 5, length);
      keccak256Into(input, 3, length, out, 5);
      assert.equal(
        hex(out.subarray(5, 37)),
        hex(keccak_256(input.subarray(3, 3 + length))),
        `length ${length}`,
      );
    }
  });

  it("is Keccak, not SHA3-256 (the padding differs)", () => {
    const out = new Uint8Array(32);
    keccak256Into(bytes(64, 1), 0, 64, out, 0);
    assert.notEqual(hex(out), createHash("sha3-256").update(bytes(64, 1)).digest("hex"));
  });

  it("hashes in place when output overlaps input", () => {
    const input = bytes(64, 9);
    const expected = hex(keccak_256(input));
    keccak256Into(input, 0, 64, input, 0);
    assert.equal(hex(input.subarray(0, 32)), expected);
  });
});

describe("hashSortedPairInto", () => {
  it("hashes the smaller node first, whichever side it is on", () => {
    const nodes = new Uint8Array(96);
    nodes.set(bytes(32, 1), 32);
    nodes.set(bytes(32, 2), 64);
    const a = nodes.subarray(32, 64);
    const b = nodes.subarray(64, 96);
    const [first, second] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
    const expected = hex(keccak_256(new Uint8Array([...first, ...second])));
    const out = new Uint8Array(32);
    hashSortedPairInto(nodes, 32, 64, out, 0);
    assert.equal(hex(out), expected);
    hashSortedPairInto(nodes, 64, 32, out, 0);
    assert.equal(hex(out), expected);
  });
});
