import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertInterval } from "./assertInterval.ts";
import { intervalContains } from "./intervalContains.ts";
import { intervalOverlapLength } from "./intervalOverlapLength.ts";
import { periodBoundaryMsToSeconds } from "./periodBoundaryMsToSeconds.ts";
import { secondsToMs } from "./secondsToMs.ts";
import { timestampMsToSeconds } from "./timestampMsToSeconds.ts";

const hour = { start: 0n, end: 3_600_000n };

describe("intervalContains", () => {
  it("includes the start and excludes the end", () => {
    assert.equal(intervalContains(hour, 0n), true);
    assert.equal(intervalContains(hour, 3_599_999n), true);
    assert.equal(intervalContains(hour, 3_600_000n), false);
    assert.equal(intervalContains(hour, -1n), false);
    assert.equal(intervalContains({ start: 5n, end: 5n }, 5n), false);
  });
});

describe("intervalOverlapLength", () => {
  it("measures partial, nested, touching and disjoint overlaps", () => {
    assert.equal(intervalOverlapLength({ start: 0n, end: 10n }, { start: 5n, end: 20n }), 5n);
    assert.equal(intervalOverlapLength({ start: 0n, end: 10n }, { start: 2n, end: 3n }), 1n);
    assert.equal(intervalOverlapLength({ start: 0n, end: 10n }, { start: 10n, end: 20n }), 0n);
    assert.equal(intervalOverlapLength({ start: 0n, end: 10n }, { start: 30n, end: 40n }), 0n);
  });

  it("splits a window exactly across back-to-back periods (property)", () => {
    const point = fc.bigInt({ min: 0n, max: 10n ** 13n });
    fc.assert(
      fc.property(point, point, point, (a, b, c) => {
        const [start, cut, end] = [a, b, c].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) as [
          bigint,
          bigint,
          bigint,
        ];
        const window = { start: 0n, end: 10n ** 13n };
        const total = intervalOverlapLength(window, { start, end });
        const parts =
          intervalOverlapLength(window, { start, end: cut }) +
          intervalOverlapLength(window, { start: cut, end });
        assert.equal(parts, total);
      }),
    );
  });

  it("refuses an interval whose end is before its start", () => {
    assert.throws(() => intervalOverlapLength(hour, { start: 2n, end: 1n }), { path: "b" });
    assert.throws(
      () => {
        assertInterval({ start: 2n, end: 1n }, "period");
      },
      { path: "period" },
    );
  });
});

describe("time conversions", () => {
  it("periodBoundaryMsToSeconds takes whole seconds only", () => {
    assert.equal(periodBoundaryMsToSeconds(1_700_000_000_000n), 1_700_000_000n);
    assert.equal(periodBoundaryMsToSeconds(1_700_000_000_000), 1_700_000_000n);
    assert.throws(() => periodBoundaryMsToSeconds(1_700_000_000_500n, "periodEndMs"), {
      name: "InvalidInputError",
      path: "periodEndMs",
    });
    assert.throws(() => periodBoundaryMsToSeconds(-1000n), { name: "InvalidInputError" });
  });

  it("timestampMsToSeconds rounds an instant down to its second", () => {
    assert.equal(timestampMsToSeconds(1_700_000_000_999n), 1_700_000_000n);
    assert.equal(timestampMsToSeconds(999), 0n);
    assert.throws(() => timestampMsToSeconds(1.5), { name: "InvalidInputError" });
  });

  it("secondsToMs is exact", () => {
    assert.equal(secondsToMs(1_700_000_000n), 1_700_000_000_000n);
  });
});
