import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { crc16Arc } from "./crc16Arc.ts";

describe("crc16Arc", () => {
  it("gives the catalogue check value of CRC-16/ARC", () => {
    assert.equal(crc16Arc("123456789"), 0xbb3d);
    assert.equal(crc16Arc(new TextEncoder().encode("123456789")), 0xbb3d);
  });

  it("is 0 for no bytes and changes with any single byte", () => {
    assert.equal(crc16Arc(""), 0);
    assert.notEqual(crc16Arc("123456788"), 0xbb3d);
  });
});
