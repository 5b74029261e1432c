import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InvalidInputError } from "../errors/index.ts";
import { apportionByWeights } from "./apportionByWeights.ts";

describe("apportionByWeights", () => {
  it("splits by largest remainder, ties to the lower index (worked example)", () => {
    // 10 by weights 1:1:1 → exact 3.33 each; floors 3, 3, 3 leave 1 → goes to index 0.
    assert.deepEqual(apportionByWeights(10n, [1n, 1n, 1n]), [4n, 3n, 3n]);
    // 1_062 mg by energy 2_500 : 3_500 → exact 442.5 and 619.5; floors 442, 619 leave 1;
    // remainders equal (0.5 each) → index 0 → [443, 619].
    assert.deepEqual(apportionByWeights(1_062n, [2_500n, 3_500n]), [443n, 619n]);
  });

  it("property: shares are non-negative and sum to the total", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          fc.pre(weights.some((weight) => weight > 0n));
          const shares = apportionByWeights(total, weights);
          assert.equal(
            shares.reduce((sum, share) => sum + share, 0n),
            total,
          );
          assert.ok(shares.every((share) => share >= 0n));
        },
      ),
    );
  });

  it("refuses negative weights and a non-zero total over zero weights", () => {
    assert.throws(
      () => apportionByWeights(1n, [1n, -1n]),
      (error: unknown) => error instanceof InvalidInputError && error.path === "weights[1]",
    );
    assert.throws(
      () => apportionByWeights(1n, [0n]),
      (error: unknown) => error instanceof InvalidInputError && error.path === "weights",
    );
  });
});
