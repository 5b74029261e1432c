import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { roundHalfEven } from "./roundHalfEven.ts";

describe("roundHalfEven", () => {
  const table: [bigint, bigint, bigint][] = [
    [0n, 7n, 0n],
    [5n, 2n, 2n], // 2.5
    [7n, 2n, 4n], // 3.5
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [1n, 2n, 0n], // 0.5
    [3n, 2n, 2n], // 1.5
    [249n, 100n, 2n], // 2.49
    [251n, 100n, 3n], // 2.51
    [-251n, 100n, -3n],
    [10n, 5n, 2n], // exact
  ];
  for (const [numerator, denominator, expected] of table) {
    it(`${numerator}/${denominator} -> ${expected}`, () => {
      assert.equal(roundHalfEven(numerator, denominator), expected);
    });
  }

  it("is the nearest integer, ties to even (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt(),
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        (numerator, denominator) => {
          const rounded = roundHalfEven(numerator, denominator);
          // distance to the exact value, times 2·denominator to stay in integers
          const twiceError = 2n * (rounded * denominator - numerator);
          assert.ok(twiceError <= denominator && twiceError >= -denominator);
          if (twiceError === denominator || twiceError === -denominator)
            assert.equal(rounded % 2n, 0n);
        },
      ),
    );
  });

  it("refuses a non-positive denominator", () => {
    assert.throws(() => roundHalfEven(1n, 0n), { name: "InvalidInputError", path: "denominator" });
    assert.throws(() => roundHalfEven(1n, -2n), { name: "InvalidInputError" });
  });
});
