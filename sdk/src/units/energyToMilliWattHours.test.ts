import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InvalidInputError } from "../errors/index.ts";
import { energyToMilliWattHours } from "./energyToMilliWattHours.ts";
import { formatMilliWattHours } from "./formatMilliWattHours.ts";
import { kilowattHoursToMilliWattHours } from "./kilowattHoursToMilliWattHours.ts";
import { powerOverDurationToMilliWattHours } from "./powerOverDurationToMilliWattHours.ts";
import { powerToMilliWatts } from "./powerToMilliWatts.ts";
import { wattHoursToMilliWattHours } from "./wattHoursToMilliWattHours.ts";

describe("energyToMilliWattHours", () => {
  it("converts exactly from every unit, decimals as strings", () => {
    assert.equal(energyToMilliWattHours("001234.567", "kWh"), 1_234_567_000n);
    assert.equal(energyToMilliWattHours("0.001", "Wh"), 1n);
    assert.equal(energyToMilliWattHours(12n, "Wh"), 12_000n);
    assert.equal(energyToMilliWattHours(7, "mWh"), 7n);
    assert.equal(energyToMilliWattHours("2.5", "MWh"), 2_500_000_000n);
    assert.equal(energyToMilliWattHours("-1.5", "kWh"), -1_500_000n);
    // 10^20 kWh: far past 2^53, still exact
    assert.equal(energyToMilliWattHours("100000000000000000000", "kWh"), 10n ** 26n);
  });

  it("refuses amounts finer than 1 mWh, floats and malformed text, naming the path", () => {
    const bad: [string | number, string][] = [
      ["0.0005", "Wh"],
      ["1.0000001", "kWh"],
      [1.5, "kWh"],
      ["1e3", "Wh"],
      [".5", "Wh"],
      ["1,5", "Wh"],
      ["", "Wh"],
    ];
    for (const [amount, unit] of bad) {
      assert.throws(
        () => energyToMilliWattHours(amount, unit as "Wh", "rows[4].energy"),
        (error: unknown) => error instanceof InvalidInputError && error.path === "rows[4].energy",
        String(amount),
      );
    }
  });

  it("round-trips with formatMilliWattHours (property)", () => {
    const units = ["mWh", "Wh", "kWh", "MWh", "GWh"] as const;
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
        fc.constantFrom(...units),
        (mWh, unit) => {
          assert.equal(energyToMilliWattHours(formatMilliWattHours(mWh, unit), unit), mWh);
        },
      ),
    );
  });
});

describe("formatMilliWattHours", () => {
  it("prints exact decimals without trailing zeros", () => {
    assert.equal(formatMilliWattHours(1_234_567_000n, "kWh"), "1234.567");
    assert.equal(formatMilliWattHours(1_000_000n, "kWh"), "1");
    assert.equal(formatMilliWattHours(-5n, "Wh"), "-0.005");
    assert.equal(formatMilliWattHours(0n, "MWh"), "0");
  });
});

describe("wattHoursToMilliWattHours and kilowattHoursToMilliWattHours", () => {
  it("scale by 1000 and 10^6", () => {
    assert.equal(wattHoursToMilliWattHours(1500n), 1_500_000n);
    assert.equal(kilowattHoursToMilliWattHours(3), 3_000_000n);
  });

  it("refuse numbers that are not safe integers", () => {
    assert.throws(() => wattHoursToMilliWattHours(0.5), { path: "wattHours" });
    assert.throws(() => kilowattHoursToMilliWattHours(2 ** 60), { path: "kilowattHours" });
  });
});

describe("powerToMilliWatts", () => {
  it("converts exactly", () => {
    assert.equal(powerToMilliWatts("2.35", "kW"), 2_350_000n);
    assert.equal(powerToMilliWatts(230n, "W"), 230_000n);
  });

  it("refuses a fraction of a milliwatt", () => {
    assert.throws(() => powerToMilliWatts("0.5", "mW", "samples[0].power"), {
      name: "InvalidInputError",
      path: "samples[0].power",
    });
  });
});

describe("powerOverDurationToMilliWattHours", () => {
  it("is mW x ms / 3.6e6, rounded half to even once", () => {
    assert.equal(powerOverDurationToMilliWattHours(1_000_000n, 3_600_000n), 1_000_000n);
    assert.equal(powerOverDurationToMilliWattHours(1_000n, 1_800n), 0n); // 0.5 -> 0
    assert.equal(powerOverDurationToMilliWattHours(1_000n, 5_400n), 2n); // 1.5 -> 2
    assert.equal(powerOverDurationToMilliWattHours(1_000n, 5_401n), 2n);
    assert.equal(powerOverDurationToMilliWattHours(1_000n, 6_000n), 2n); // 1.67 -> 2
  });

  it("refuses a negative duration", () => {
    assert.throws(() => powerOverDurationToMilliWattHours(1n, -1n), { path: "durationMs" });
  });
});
