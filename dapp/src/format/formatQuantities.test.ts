import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatEmissions, formatEnergy, shortHex } from "./formatQuantities.ts";

describe("formatQuantities", () => {
  it("shows energy in the unit that reads best, rounding half up at the last digit", () => {
    assert.equal(formatEnergy(999n), "0.999 Wh");
    assert.equal(formatEnergy("1500000"), "1.500 kWh");
    assert.equal(formatEnergy(1_234_567_890_123n), "1,234.568 MWh");
    assert.equal(formatEnergy(14_999_995n), "15.000 kWh");
  });
  it("shows emissions in g, kg or t CO2e", () => {
    assert.equal(formatEmissions(0n), "0.000 g CO2e");
    assert.equal(formatEmissions(2_500_000n), "2.500 kg CO2e");
    assert.equal(formatEmissions(-3_000_000_000n), "-3.000 t CO2e");
  });
  it("shortens long hex ids and keeps short ones", () => {
    assert.equal(shortHex(`0x${"ab".repeat(32)}`), "0xababab…ababab");
    assert.equal(shortHex("0x1234"), "0x1234");
  });
});
