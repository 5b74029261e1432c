import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { decodeSunSpecModel } from "./decodeSunSpecModel.ts";

function float(registers: Uint16Array, offset: number, value: number): void {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  registers[offset] = view.getUint16(0);
  registers[offset + 1] = view.getUint16(2);
}

describe("decodeSunSpecModel", () => {
  it("reads float meter 213 and treats NaN as not implemented", () => {
    const registers = new Uint16Array(124);
    float(registers, 26, -2500); // W: exporting
    float(registers, 58, 1234.5); // TotWhExp
    float(registers, 66, NaN); // TotWhImp not implemented
    float(registers, 10, 229.5);
    float(registers, 0, 11);
    assert.deepEqual(decodeSunSpecModel({ id: 213, address: 40070, registers }), {
      kind: "meter",
      watts: -2500,
      energyImportedWattHours: undefined,
      energyExportedWattHours: 1234.5,
      voltsPhaseA: 229.5,
      ampsTotal: 11,
    });
  });

  it("applies negative scale factors exactly and honours the 0x8000 sentinel", () => {
    const registers = new Uint16Array(50).fill(0x8000);
    registers[12] = 12345; // W
    registers[13] = 0xfffe; // W_SF = -2
    registers[22] = 0;
    registers[23] = 0; // WH acc32 = 0: not accumulated
    registers[24] = 0;
    const points = decodeSunSpecModel({ id: 101, address: 0, registers });
    assert.equal(points?.watts, 123.45);
    assert.equal(points.energyProducedWattHours, undefined);
    assert.equal(points.ampsTotal, undefined);
  });

  it("leaves models it does not interpret alone and refuses short blocks", () => {
    assert.equal(
      decodeSunSpecModel({ id: 120, address: 0, registers: new Uint16Array(26) }),
      undefined,
    );
    assert.throws(
      () => decodeSunSpecModel({ id: 203, address: 0, registers: new Uint16Array(10) }),
      (error) => error instanceof ProtocolFrameError && error.reason === "wrong-length",
    );
  });

  it("never throws anything but a ProtocolFrameError on random register blocks", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 101, 102, 103, 111, 112, 113, 201, 203, 211, 214, 701),
        fc.array(fc.nat(0xffff), { maxLength: 130 }),
        (id, values) => {
          try {
            decodeSunSpecModel({ id, address: 0, registers: Uint16Array.from(values) });
          } catch (error) {
            assert.ok(error instanceof ProtocolFrameError, String(error));
          }
        },
      ),
    );
  });
});
