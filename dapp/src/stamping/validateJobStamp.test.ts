import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateJobStart, validateUnits } from "./validateJobStamp.ts";

const fine = { reference: "WO-2026-0042", machineIds: ["0x01"], productId: "0x02" };

describe("validateJobStart", () => {
  it("accepts a reference, a machine and a product", () => {
    assert.deepEqual(validateJobStart(fine), {});
  });

  it("names each missing field on its own", () => {
    assert.deepEqual(validateJobStart({ reference: "  ", machineIds: [], productId: "" }), {
      reference: "Enter the job reference (work order).",
      machines: "Choose at least one machine.",
      product: "Choose the product (SKU) the job makes.",
    });
  });

  it("refuses a reference over 64 characters, saying how long it is", () => {
    const problems = validateJobStart({ ...fine, reference: "W".repeat(65) });
    assert.equal(
      problems.reference,
      "The job reference has 65 characters; at most 64 are allowed.",
    );
    assert.deepEqual(validateJobStart({ ...fine, reference: "W".repeat(64) }), {});
  });

  it("refuses surrounding spaces, which would name another job", () => {
    assert.match(validateJobStart({ ...fine, reference: "WO-1 " }).reference ?? "", /spaces/u);
  });

  it("refuses more machines than one job can name", () => {
    const machineIds = Array.from({ length: 33 }, (_, index) => `0x${index}`);
    assert.equal(
      validateJobStart({ ...fine, machineIds }).machines,
      "Choose at most 32 machines for one job.",
    );
  });
});

describe("validateUnits", () => {
  it("reads a whole number from 1", () => {
    assert.deepEqual(validateUnits("30"), { ok: true, units: 30 });
    assert.deepEqual(validateUnits(" 1 "), { ok: true, units: 1 });
  });

  it("names the problem with empty, zero, fractional, negative and huge counts", () => {
    assert.deepEqual(validateUnits(""), { ok: false, problem: "Enter the units produced." });
    assert.deepEqual(validateUnits("0"), { ok: false, problem: "Units must be 1 or more." });
    for (const text of ["2.5", "-3", "1e3"])
      assert.deepEqual(validateUnits(text), {
        ok: false,
        problem: "Units must be a whole number, like 120.",
      });
    assert.equal(validateUnits("9007199254740993").ok, false);
  });
});
