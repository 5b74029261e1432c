import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { scaleDecimal } from "./scaleDecimal.ts";

describe("scaleDecimal", () => {
  it("scales kWh register text to mWh exactly", () => {
    assert.equal(scaleDecimal("123456.789", 6), 123456789000n);
    assert.equal(scaleDecimal("00001.001", 6), 1001000n);
    assert.equal(scaleDecimal("0", 3), 0n);
    assert.equal(scaleDecimal("-2.5", 1), -25n);
    assert.equal(scaleDecimal("1.50", 1), 15n);
  });

  it("refuses what is not a plain decimal or is too precise", () => {
    for (const bad of ["", ".", "1.", ".5", "1e3", "0x10", "1,5", " 1", "NaN"]) {
      assert.equal(scaleDecimal(bad, 3), undefined, bad);
    }
    assert.equal(scaleDecimal("1.2345", 3), undefined);
  });

  it("agrees with integer arithmetic on random values", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (n) => {
        const abs = n < 0n ? -n : n;
        const text = `${n < 0n ? "-" : ""}${abs / 1000n}.${(abs % 1000n).toString().padStart(3, "0")}`;
        assert.equal(scaleDecimal(text, 3), n);
      }),
    );
  });
});
