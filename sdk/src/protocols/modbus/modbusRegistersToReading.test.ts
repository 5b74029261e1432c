import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { InvalidInputError } from "../../errors/index.ts";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { pollErrorToFrameError } from "../shared/pollErrorToFrameError.ts";
import { CARLO_GAVAZZI_EM24_MAP } from "./maps/carloGavazziEm24.ts";
import { EASTRON_SDM630_MAP } from "./maps/eastronSdm630.ts";
import { modbusRegistersToReading } from "./modbusRegistersToReading.ts";
import type { ModbusRegisterBlock } from "./modbusRegistersToReading.ts";
import { parseModbusReadResponse } from "./parseModbusReadResponse.ts";
import { parseModbusRegisterMap } from "./parseModbusRegisterMap.ts";
import { planModbusReads } from "./planModbusReads.ts";

const float32Words = (value: number): [number, number] => {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return [view.getUint16(0), view.getUint16(2)];
};

function image(size: number, values: Record<number, readonly number[]>): number[] {
  const words = new Array<number>(size).fill(0);
  for (const [address, ws] of Object.entries(values))
    words.splice(Number(address), ws.length, ...ws);
  return words;
}

const isFrameError = (reason: string) => (error: unknown) =>
  error instanceof ProtocolFrameError && error.reason === reason;

describe("shipped Modbus register maps", () => {
  it("validate against the schema and plan into few reads", () => {
    const sdm = parseModbusRegisterMap(EASTRON_SDM630_MAP);
    assert.deepEqual(planModbusReads(sdm), [
      { functionCode: 4, address: 0, count: 8 },
      { functionCode: 4, address: 52, count: 24 },
    ]);
    assert.deepEqual(planModbusReads(sdm, { maxGap: 60 }), [
      { functionCode: 4, address: 0, count: 76 },
    ]);
    const em24 = parseModbusRegisterMap(CARLO_GAVAZZI_EM24_MAP);
    assert.deepEqual(planModbusReads(em24, { maxGap: 40 }), [
      { functionCode: 4, address: 0, count: 80 },
    ]);
    assert.deepEqual(planModbusReads(em24, { maxGap: 4 }), [
      { functionCode: 4, address: 0, count: 2 },
      { functionCode: 4, address: 12, count: 2 },
      { functionCode: 4, address: 40, count: 2 },
      { functionCode: 4, address: 49, count: 5 },
      { functionCode: 4, address: 78, count: 2 },
    ]);
  });

  it("refuses a map without an energy counter, a wrong unit, a duplicate field", () => {
    const base = parseModbusRegisterMap(EASTRON_SDM630_MAP);
    const power = base.registers.filter((r) => r.field === "power");
    assert.throws(() => parseModbusRegisterMap({ ...base, registers: power }), InvalidInputError);
    assert.throws(
      () => parseModbusRegisterMap({ ...base, registers: [{ ...base.registers[0], unit: "W" }] }),
      /energyImported takes Wh, kWh, MWh/,
    );
    assert.throws(
      () => parseModbusRegisterMap({ ...base, registers: [...base.registers, base.registers[0]] }),
      /declared twice/,
    );
  });
});

describe("modbusRegistersToReading", () => {
  it("reads SDM630 float32 registers as the decimal the meter displays", () => {
    const map = parseModbusRegisterMap(EASTRON_SDM630_MAP);
    const words = image(76, {
      0x00: float32Words(231.4),
      0x06: float32Words(5.25),
      0x34: float32Words(1203.7),
      0x3e: float32Words(0.97),
      0x48: float32Words(12345.67),
      0x4a: float32Words(8.1),
    });
    const reading = modbusRegistersToReading(map, [{ functionCode: 4, address: 0, words }], {
      deviceId: "sdm630-7",
      timestampMs: 1_700_000_000_000,
    });
    assert.deepEqual(reading, {
      deviceId: "sdm630-7",
      channel: 0,
      timestampMs: 1_700_000_000_000,
      // 12345.67 kWh exactly, although the float32 holds 12345.669921875.
      energyImportedMilliWattHours: 12_345_670_000n,
      energyExportedMilliWattHours: 8_100_000n,
      powerMilliWatts: 1_203_700,
      voltageMilliVolts: 231_400,
      currentMilliAmperes: 5_250,
      powerFactorPerMille: 970,
      quality: "measured",
      authentication: "polled",
    });
  });

  it("reads EM24 INT32 registers least significant word first, with ×10 weights", () => {
    const map = parseModbusRegisterMap(CARLO_GAVAZZI_EM24_MAP);
    const lswFirst = (n: number): [number, number] => [
      n & 0xffff,
      Math.floor(n / 0x10000) & 0xffff,
    ];
    const words = image(80, {
      0x00: lswFirst(2302), // 230.2 V
      0x0c: lswFirst(12_345), // 12.345 A
      0x28: lswFirst(-15_000 >>> 0), // −1500.0 W: exporting
      0x31: [0x10000 - 950], // PF −0.950
      0x34: lswFirst(1_234_567), // 123 456.7 kWh
      0x4e: lswFirst(100_000), // 10 000.0 kWh
    });
    const reading = modbusRegistersToReading(map, [{ functionCode: 4, address: 0, words }], {
      deviceId: "em24",
      channel: 2,
      timestampMs: 0,
    });
    assert.equal(reading.energyImportedMilliWattHours, 123_456_700_000n);
    assert.equal(reading.energyExportedMilliWattHours, 10_000_000_000n);
    assert.equal(reading.powerMilliWatts, -1_500_000);
    assert.equal(reading.voltageMilliVolts, 230_200);
    assert.equal(reading.currentMilliAmperes, 12_345);
    assert.equal(reading.powerFactorPerMille, -950);
    assert.equal(reading.channel, 2);
  });

  it("reads u64 and u16 registers and rounds sub-mWh scales half away from zero", () => {
    const map = parseModbusRegisterMap({
      format: "ei-modbus-map-v1",
      id: "test-u64",
      manufacturer: "Test",
      model: "U64",
      source: { document: "test" },
      registers: [
        {
          field: "energyImported",
          address: 10,
          functionCode: 3,
          type: "u64",
          scale: "0.0005",
          unit: "Wh",
          citation: "t",
          confirmed: true,
        },
        {
          field: "voltage",
          address: 0,
          functionCode: 3,
          type: "u16",
          scale: "0.01",
          unit: "V",
          citation: "t",
          confirmed: true,
        },
      ],
    });
    const blocks: ModbusRegisterBlock[] = [
      { functionCode: 3, address: 0, words: [23_012] },
      // 2^48 + 3 raw × 0.0005 Wh = 140 737 488 355.3295 Wh → …329.5 mWh → rounds up.
      { functionCode: 3, address: 10, words: [0x0001, 0x0000, 0x0000, 0x0003] },
    ];
    const reading = modbusRegistersToReading(map, blocks, { deviceId: "d", timestampMs: 0 });
    assert.equal(reading.energyImportedMilliWattHours, 140_737_488_355_330n);
    assert.equal(reading.voltageMilliVolts, 230_120);
  });

  it("refuses a missing block, a NaN or negative counter, a word past 16 bits", () => {
    const map = parseModbusRegisterMap(EASTRON_SDM630_MAP);
    const ok = image(76, { 0x48: float32Words(1), 0x4a: float32Words(1) });
    const at = (words: number[]) => [{ functionCode: 4 as const, address: 0, words }];
    const params = { deviceId: "d", timestampMs: 0 };
    assert.throws(
      () => modbusRegistersToReading(map, at(ok.slice(0, 40)), params),
      isFrameError("truncated"),
    );
    assert.throws(
      () => modbusRegistersToReading(map, [{ functionCode: 3, address: 0, words: ok }], params),
      isFrameError("truncated"),
    );
    const nan = image(76, { 0x48: float32Words(Number.NaN), 0x4a: float32Words(1) });
    assert.throws(() => modbusRegistersToReading(map, at(nan), params), /counter not available/);
    const negative = image(76, { 0x48: float32Words(-5), 0x4a: float32Words(1) });
    assert.throws(() => modbusRegistersToReading(map, at(negative), params), /counter negative/);
    const wide = [...ok];
    wide[0] = 0x10000;
    assert.throws(() => modbusRegistersToReading(map, at(wide), params), isFrameError("bad-value"));
  });

  it("fuzz: any words and any block layout give a reading or a ProtocolFrameError", () => {
    const maps = [
      parseModbusRegisterMap(EASTRON_SDM630_MAP),
      parseModbusRegisterMap(CARLO_GAVAZZI_EM24_MAP),
    ];
    const block = fc.record({
      functionCode: fc.constantFrom(3 as const, 4 as const),
      address: fc.integer({ min: 0, max: 90 }),
      words: fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer()), {
        maxLength: 90,
      }),
    });
    fc.assert(
      fc.property(fc.constantFrom(...maps), fc.array(block, { maxLength: 4 }), (map, blocks) => {
        try {
          const reading = modbusRegistersToReading(map, blocks, { deviceId: "f", timestampMs: 0 });
          assert.ok(reading.energyImportedMilliWattHours >= 0n);
          assert.ok(reading.energyExportedMilliWattHours >= 0n);
        } catch (error) {
          assert.ok(error instanceof ProtocolFrameError, String(error));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("parseModbusReadResponse", () => {
  it("decodes a read response and turns an exception response into modbus-exception", () => {
    assert.deepEqual(
      [
        ...parseModbusReadResponse(Uint8Array.of(4, 4, 0x43, 0x66, 0x80, 0x00), {
          functionCode: 4,
          count: 2,
        }),
      ],
      [0x4366, 0x8000],
    );
    assert.throws(
      () => parseModbusReadResponse(Uint8Array.of(0x84, 0x02), { functionCode: 4, count: 2 }),
      (error) =>
        error instanceof ProtocolFrameError &&
        error.reason === "modbus-exception" &&
        error.message.includes("exception 2 (illegal data address)"),
    );
    assert.throws(
      () => parseModbusReadResponse(Uint8Array.of(3, 4, 0, 1, 0, 2), { functionCode: 4, count: 2 }),
      isFrameError("bad-header"),
    );
    assert.throws(
      () => parseModbusReadResponse(Uint8Array.of(4, 4, 0, 1), { functionCode: 4, count: 2 }),
      isFrameError("truncated"),
    );
  });

  it("fuzz: random bytes give words or a ProtocolFrameError", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 260 }),
        fc.integer({ min: 1, max: 125 }),
        (pdu, count) => {
          try {
            assert.equal(parseModbusReadResponse(pdu, { functionCode: 3, count }).length, count);
          } catch (error) {
            assert.ok(error instanceof ProtocolFrameError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("classifies modbus-serial's exception and timeout errors", () => {
    const exception = pollErrorToFrameError(
      "modbus",
      Object.assign(new Error("x"), { modbusCode: 11 }),
      "unit 3",
    );
    assert.ok(exception);
    assert.equal(exception.reason, "modbus-exception");
    assert.match(exception.message, /gateway target device failed to respond/);
    const timeout = pollErrorToFrameError(
      "modbus",
      Object.assign(new Error("Timed out"), { errno: "ETIMEDOUT" }),
      "u",
    );
    assert.equal(timeout?.reason, "timeout");
    assert.equal(pollErrorToFrameError("modbus", new Error("ECONNREFUSED"), "u"), undefined);
  });
});
