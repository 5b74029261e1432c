import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { hasValidModbusRtuCrc, modbusRtuCrc16, withModbusRtuCrc } from "./modbusRtuCrc16.ts";

describe("modbusRtuCrc16", () => {
  it("matches the worked example of Modbus over Serial Line V1.02 (02 07 → 41 12)", () => {
    assert.equal(modbusRtuCrc16(Uint8Array.of(0x02, 0x07)), 0x1241);
    assert.deepEqual([...withModbusRtuCrc(Uint8Array.of(0x02, 0x07))], [0x02, 0x07, 0x41, 0x12]);
  });

  it("checks a read request frame (01 03 0000 000A, CRC C5 CD)", () => {
    const frame = Uint8Array.of(0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd);
    assert.ok(hasValidModbusRtuCrc(frame));
    frame[3] = 0x01;
    assert.ok(!hasValidModbusRtuCrc(frame));
    assert.ok(!hasValidModbusRtuCrc(Uint8Array.of(0x01, 0x03, 0xc5)));
  });

  it("any frame with its CRC appended checks, and any single flipped bit is caught", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 2, maxLength: 256 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (body, at, bit) => {
          const framed = withModbusRtuCrc(body);
          assert.ok(hasValidModbusRtuCrc(framed));
          const corrupted = Uint8Array.from(framed);
          const index = at % corrupted.length;
          corrupted[index] = (corrupted[index] ?? 0) ^ (1 << bit);
          assert.ok(!hasValidModbusRtuCrc(corrupted));
        },
      ),
    );
  });
});
