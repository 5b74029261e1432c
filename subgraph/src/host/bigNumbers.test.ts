import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { hexToBytes, numberToHex } from "viem";
import {
  abiWordToSignedLe,
  bigIntToSignedLe,
  decimalDividedBy,
  decimalFromString,
  decimalPlus,
  decimalTimes,
  decimalToString,
  signedLeToBigInt,
  signedLeToDecimalString,
  safeIntegerToSignedLe,
  unsignedLeToBigInt,
} from "./bigNumbers.ts";

describe("graph-ts BigInt bytes", () => {
  it("round-trips any integer through two's-complement little-endian bytes", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }), (value) => {
        assert.equal(signedLeToBigInt(bigIntToSignedLe(value)), value);
      }),
    );
  });

  it("round-trips integers around the 6-byte number fast path, and prints them in decimal", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 56n), max: 1n << 56n }), (value) => {
        const bytes = bigIntToSignedLe(value);
        assert.equal(signedLeToBigInt(bytes), value);
        assert.equal(signedLeToDecimalString(bytes), value.toString());
      }),
      { numRuns: 2000 },
    );
    for (const edge of [
      0n,
      -1n,
      127n,
      128n,
      -128n,
      -129n,
      (1n << 47n) - 1n,
      1n << 47n,
      -(1n << 47n),
      -(1n << 47n) - 1n,
    ]) {
      assert.equal(signedLeToBigInt(bigIntToSignedLe(edge)), edge, String(edge));
      assert.equal(signedLeToDecimalString(bigIntToSignedLe(edge)), edge.toString(), String(edge));
    }
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 53n) + 1n, max: (1n << 53n) - 1n }), (value) => {
        assert.deepEqual(safeIntegerToSignedLe(Number(value)), bigIntToSignedLe(value));
      }),
      { numRuns: 2000 },
    );
    assert.deepEqual(bigIntToSignedLe(128n), Uint8Array.from([0x80, 0x00]));
    assert.deepEqual(bigIntToSignedLe(-129n), Uint8Array.from([0x7f, 0xff]));
  });

  it("encodes an ABI word (uintN, intN) as bigIntToSignedLe encodes its value", () => {
    const word = (value: bigint, bits: number) =>
      hexToBytes(numberToHex(BigInt.asUintN(256, BigInt.asIntN(bits, value)), { size: 32 }));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 32 }).chain((bytes) =>
          fc.record({
            bits: fc.constant(bytes * 8),
            signed: fc.boolean(),
            value: fc.bigInt({ min: 0n, max: (1n << BigInt(bytes * 8)) - 1n }),
          }),
        ),
        ({ bits, signed, value }) => {
          const expected = signed ? BigInt.asIntN(bits, value) : value;
          assert.deepEqual(
            abiWordToSignedLe(word(expected, 256), signed),
            bigIntToSignedLe(expected),
          );
        },
      ),
      { numRuns: 500 },
    );
    for (const edge of [
      0n,
      1n,
      127n,
      128n,
      255n,
      256n,
      -1n,
      -128n,
      -129n,
      (1n << 255n) - 1n,
      -(1n << 255n),
    ])
      assert.deepEqual(
        abiWordToSignedLe(word(edge, 256), true),
        bigIntToSignedLe(edge),
        String(edge),
      );
    assert.deepEqual(
      abiWordToSignedLe(word((1n << 256n) - 1n, 256), false),
      bigIntToSignedLe((1n << 256n) - 1n),
    );
  });

  it("keeps a uint256 with its top bit set positive (an extra zero byte), as graph-node encodes uints", () => {
    const value = (1n << 255n) + 5n;
    const bytes = bigIntToSignedLe(value);
    assert.equal(bytes.length, 33);
    assert.equal(bytes[32], 0);
    assert.equal(unsignedLeToBigInt(bytes.subarray(0, 32)), value);
  });

  it("writes minimal lengths: 0 → [0x00], -1 → [0xff], 128 → [0x80, 0x00]", () => {
    assert.deepEqual([...bigIntToSignedLe(0n)], [0]);
    assert.deepEqual([...bigIntToSignedLe(-1n)], [0xff]);
    assert.deepEqual([...bigIntToSignedLe(128n)], [0x80, 0]);
    assert.deepEqual([...bigIntToSignedLe(-129n)], [0x7f, 0xff]);
    assert.equal(signedLeToBigInt(new Uint8Array(0)), 0n);
  });
});

describe("graph-ts BigDecimal", () => {
  it("parses and prints decimals without losing digits", () => {
    for (const text of ["0", "1", "-1.5", "123.456", "0.001", "1000"]) {
      assert.equal(decimalToString(decimalFromString(text)), text);
    }
    assert.equal(decimalToString(decimalFromString("1e3")), "1000");
    assert.equal(decimalToString(decimalFromString("2.50")), "2.5");
  });

  it("adds, multiplies and divides like exact decimal arithmetic (34 significant digits)", () => {
    const d = decimalFromString;
    assert.equal(decimalToString(decimalPlus(d("0.1"), d("0.2"))), "0.3");
    assert.equal(decimalToString(decimalTimes(d("1.5"), d("-4"))), "-6");
    assert.equal(decimalToString(decimalDividedBy(d("1"), d("4"))), "0.25");
    assert.equal(decimalToString(decimalDividedBy(d("2"), d("3"))), `0.${"6".repeat(33)}7`);
  });

  it("refuses text that is not a number", () => {
    assert.throws(() => decimalFromString("12a"), /not a decimal number/);
    assert.throws(() => decimalFromString(""), /not a decimal number/);
  });
});
