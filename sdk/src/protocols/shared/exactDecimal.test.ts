import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { divideRounded } from "./divideRounded.ts";
import { float32ToDecimalText } from "./float32ToDecimalText.ts";
import { parseDecimalFraction } from "./parseDecimalFraction.ts";

describe("parseDecimalFraction", () => {
  it("reads plain and exponent decimals exactly", () => {
    assert.deepEqual(parseDecimalFraction("0.01"), { numerator: 1n, decimals: 2 });
    assert.deepEqual(parseDecimalFraction("-12.50"), { numerator: -1250n, decimals: 2 });
    assert.deepEqual(parseDecimalFraction("1.5e3"), { numerator: 1500n, decimals: 0 });
    assert.deepEqual(parseDecimalFraction("2e-7"), { numerator: 2n, decimals: 7 });
    for (const bad of ["", "0x10", "NaN", " 1", "1.", ".5", "1e-999", "Infinity"]) {
      assert.equal(parseDecimalFraction(bad), undefined, bad);
    }
  });
  it("agrees with Number on a double's own text (magnitudes the parser accepts)", () => {
    const double = fc
      .double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 })
      .filter((x) => x === 0 || Math.abs(x) > 1e-30);
    fc.assert(
      fc.property(double, (x) => {
        const f = parseDecimalFraction(String(x));
        assert.ok(f !== undefined, String(x));
        assert.equal(Number(`${f.numerator}e-${f.decimals}`), x === 0 ? 0 : x);
      }),
    );
  });
});

describe("divideRounded", () => {
  it("rounds half away from zero", () => {
    assert.equal(divideRounded(15n, 10n), 2n);
    assert.equal(divideRounded(14n, 10n), 1n);
    assert.equal(divideRounded(-15n, 10n), -2n);
    assert.equal(divideRounded(-14n, 10n), -1n);
    assert.throws(() => divideRounded(1n, 0n), RangeError);
  });
});

describe("float32ToDecimalText", () => {
  it("gives the shortest text that round-trips through float32", () => {
    assert.equal(float32ToDecimalText(Math.fround(1234.56)), "1234.56");
    assert.equal(float32ToDecimalText(Math.fround(0.1)), "0.1");
    assert.equal(float32ToDecimalText(Number.NaN), undefined);
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = float32ToDecimalText(x);
        assert.ok(text !== undefined);
        // === on purpose: -0 reads back as 0, the same meter value.
        assert.ok(Math.fround(Number(text)) === Math.fround(x), `${x} → ${text}`);
      }),
    );
  });
});
