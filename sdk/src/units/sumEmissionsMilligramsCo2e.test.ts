import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidInputError } from "../errors/index.ts";
import { emissionsMilligramsCo2e } from "./emissionsMilligramsCo2e.ts";
import { sumEmissionsMilligramsCo2e } from "./sumEmissionsMilligramsCo2e.ts";
import type { EmissionFactor } from "./types.ts";

const KWH = 1_000_000n; // mWh
const MWH = 1_000_000_000n; // mWh

describe("emissionsMilligramsCo2e", () => {
  const table: [string, bigint, EmissionFactor, bigint][] = [
    ["1 kWh at 380.5 g/kWh", KWH, { value: "380.5", unit: "g/kWh" }, 380_500n],
    ["1 kWh at 380 kg/MWh (same unit)", KWH, { value: 380n, unit: "kg/MWh" }, 380_000n],
    // 1 lb = 453.59237 g exactly: 1 MWh at 1 lb/MWh = 453.59237 g = 453592.37 mg
    ["1 MWh at 1 lb/MWh", MWH, { value: "1", unit: "lb/MWh" }, 453_592n],
    // mg = mWh × g/kWh / 1000
    ["500 mWh at 1 g/kWh = 0.5 mg, tie to even", 500n, { value: "1", unit: "g/kWh" }, 0n],
    ["1500 mWh at 1 g/kWh = 1.5 mg, tie to even", 1_500n, { value: "1", unit: "g/kWh" }, 2n],
    ["2500 mWh at 1 g/kWh = 2.5 mg, tie to even", 2_500n, { value: "1", unit: "g/kWh" }, 2n],
    ["1 mWh at 501 g/kWh = 0.501 mg rounds up", 1n, { value: "501", unit: "g/kWh" }, 1n],
    ["1 mWh at 0.4 g/kWh = 0.0004 mg rounds to 0", 1n, { value: "0.4", unit: "g/kWh" }, 0n],
    ["net export is negative", -KWH, { value: "100", unit: "g/kWh" }, -100_000n],
    [
      "a rational factor (1/3 g/kWh) over 3 kWh",
      3n * KWH,
      { value: { numerator: 1n, denominator: 3n }, unit: "g/kWh" },
      1_000n,
    ],
  ];
  for (const [label, energy, factor, expected] of table) {
    it(label, () => {
      assert.equal(emissionsMilligramsCo2e(energy, factor), expected);
    });
  }

  it("stays exact past 2^53 (a year of a 100 MW plant at 999.999 g/kWh)", () => {
    const energy = 100n * 8_760n * MWH; // 876,000 MWh
    assert.equal(
      emissionsMilligramsCo2e(energy, { value: "999.999", unit: "g/kWh" }),
      876_000_000n * 999_999n, // kWh × mg/kWh, no rounding needed
    );
  });
});

describe("sumEmissionsMilligramsCo2e", () => {
  it("rounds once at the end, not per term", () => {
    // Each term is 0.5 mg: rounded per term that is 0 + 0 + 0, exactly 1.5 -> 2.
    const half = { energyMilliWattHours: 500n, factor: { value: "1", unit: "g/kWh" } } as const;
    assert.equal(sumEmissionsMilligramsCo2e([half, half, half]), 2n);
    assert.equal(emissionsMilligramsCo2e(500n, half.factor) * 3n, 0n);
  });

  it("sums terms in different units", () => {
    assert.equal(
      sumEmissionsMilligramsCo2e([
        { energyMilliWattHours: KWH, factor: { value: "200", unit: "g/kWh" } },
        { energyMilliWattHours: 2n * KWH, factor: { value: "0.1", unit: "kg/MWh" } },
        { energyMilliWattHours: MWH, factor: { value: "2", unit: "lb/MWh" } },
      ]),
      1_107_385n, // 200000 + 200 + 907184.74, rounded once
    );
  });

  it("is 0 for no terms", () => {
    assert.equal(sumEmissionsMilligramsCo2e([]), 0n);
  });

  it("refuses negative, malformed and unknown factors, naming the term", () => {
    const cases: [EmissionFactor, string][] = [
      [{ value: "-1", unit: "g/kWh" }, "terms[1].factor.value"],
      [{ value: "12,5", unit: "g/kWh" }, "terms[1].factor.value"],
      [{ value: { numerator: 1n, denominator: 0n }, unit: "g/kWh" }, "terms[1].factor.value"],
      [{ value: "1", unit: "t/kWh" as "g/kWh" }, "terms[1].factor.unit"],
    ];
    for (const [factor, path] of cases) {
      assert.throws(
        () =>
          sumEmissionsMilligramsCo2e([
            { energyMilliWattHours: 1n, factor: { value: "1", unit: "g/kWh" } },
            { energyMilliWattHours: 1n, factor },
          ]),
        (error: unknown) => error instanceof InvalidInputError && error.path === path,
        path,
      );
    }
  });
});
