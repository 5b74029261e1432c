import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { APC_RPDU2_OIDS as APC, RARITAN_PDU2_OIDS as RAR, SNMP_TYPE as T } from "./snmpPduOids.ts";
import { snmpVarbindsToReadings } from "./snmpVarbindsToReadings.ts";
import type { SnmpVarbind } from "./snmpVarbindsToReadings.ts";

const params = { deviceId: "pdu", timestampMs: 1 };
const reason = (r: string) => (error: unknown) =>
  error instanceof ProtocolFrameError && error.reason === r;

describe("snmpVarbindsToReadings: APC PowerNet-MIB rPDU2", () => {
  it("scales tenths of kWh and hundredths of kW; -1 and noSuchInstance are absent, not zero", () => {
    const readings = snmpVarbindsToReadings(
      "apc-rpdu2",
      [
        { oid: `${APC.deviceStatusEnergy}.1`, type: T.Integer, value: 170982 }, // 17 098.2 kWh
        { oid: `.${APC.deviceStatusPower}.1`, type: T.Integer, value: 123 }, // 1.23 kW, leading dot accepted
        { oid: `${APC.deviceStatusEnergy}.2`, type: T.Integer, value: 5 },
        { oid: `${APC.outletMeteredStatusEnergy}.3`, type: T.Integer, value: 42 },
        { oid: `${APC.outletMeteredStatusPower}.3`, type: T.Integer, value: -1 },
        { oid: `${APC.outletMeteredStatusCurrent}.3`, type: T.Integer, value: 7 },
        { oid: `${APC.outletMeteredStatusEnergy}.4`, type: T.Integer, value: -1 },
        { oid: `${APC.outletMeteredStatusEnergy}.5`, type: T.NoSuchInstance, value: null },
      ],
      params,
    );
    assert.deepEqual(
      readings.map((r) => [
        r.deviceId,
        r.channel,
        r.energyImportedMilliWattHours,
        r.powerMilliWatts,
        r.currentMilliAmperes,
      ]),
      [
        ["pdu", 0, 17_098_200_000n, 1_230_000, undefined],
        ["pdu", 3, 4_200_000n, undefined, 700],
        ["pdu/unit-2", 0, 500_000n, undefined, undefined],
      ],
    );
  });

  it("refuses a value of the wrong BER type, a non-integer value, a negative counter", () => {
    const one = (varbind: SnmpVarbind) => () =>
      snmpVarbindsToReadings("apc-rpdu2", [varbind], params);
    const oid = `${APC.deviceStatusEnergy}.1`;
    assert.throws(one({ oid, type: T.OctetString, value: "1709.82 kWh" }), reason("wrong-type"));
    assert.throws(one({ oid, type: T.Gauge32, value: 5 }), reason("wrong-type"));
    assert.throws(one({ oid, type: T.Integer, value: 1.5 }), reason("bad-value"));
    assert.throws(one({ oid, type: T.Integer, value: -7 }), reason("bad-value"));
  });
});

describe("snmpVarbindsToReadings: Raritan PDU2-MIB", () => {
  const inlet = (sensor: number) => `${RAR.measurementsInletSensorValue}.1.1.${sensor}`;
  const inletDigits = (sensor: number) => `${RAR.inletSensorDecimalDigits}.1.1.${sensor}`;

  it("divides by 10^decimal digits of the same sensor; outlets and cascaded PDUs keep their numbers", () => {
    const readings = snmpVarbindsToReadings(
      "raritan-pdu2",
      [
        { oid: inlet(8), type: T.Gauge32, value: 123456 },
        { oid: inletDigits(8), type: T.Gauge32, value: 1 }, // 12 345.6 Wh
        { oid: inlet(4), type: T.Gauge32, value: 2301 },
        { oid: inletDigits(4), type: T.Gauge32, value: 1 },
        { oid: inlet(10), type: T.Gauge32, value: 245 }, // temperature: ignored
        { oid: `${RAR.measurementsOutletSensorValue}.1.7.8`, type: T.Gauge32, value: 999 },
        { oid: `${RAR.outletSensorDecimalDigits}.1.7.8`, type: T.Gauge32, value: 0 },
        { oid: `${RAR.measurementsOutletSensorValue}.2.1.8`, type: T.Gauge32, value: 10 },
        { oid: `${RAR.outletSensorDecimalDigits}.2.1.8`, type: T.Gauge32, value: 0 },
      ],
      params,
    );
    assert.deepEqual(
      readings.map((r) => [
        r.deviceId,
        r.channel,
        r.energyImportedMilliWattHours,
        r.voltageMilliVolts,
      ]),
      [
        ["pdu", 0, 12_345_600n, 230_100],
        ["pdu", 7, 999_000n, undefined],
        ["pdu/pdu-2", 1, 10_000n, undefined],
      ],
    );
  });

  it("refuses a value without its decimal digits and a sensor value that is not Gauge32", () => {
    assert.throws(
      () =>
        snmpVarbindsToReadings(
          "raritan-pdu2",
          [{ oid: inlet(8), type: T.Gauge32, value: 5 }],
          params,
        ),
      reason("missing-field"),
    );
    assert.throws(
      () =>
        snmpVarbindsToReadings(
          "raritan-pdu2",
          [
            { oid: inlet(8), type: T.OctetString, value: "5" },
            { oid: inletDigits(8), type: T.Gauge32, value: 0 },
          ],
          params,
        ),
      reason("wrong-type"),
    );
  });
});

describe("snmpVarbindsToReadings fuzz", () => {
  it("random varbinds under the real columns give readings or a ProtocolFrameError", () => {
    const columns = [...Object.values(APC), ...Object.values(RAR), "1.3.6.1.2.1.1.1"];
    const varbind = fc.record({
      oid: fc
        .tuple(
          fc.constantFrom(...columns),
          fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }),
          fc.boolean(),
        )
        .map(([c, index, junk]) => `${c}${index.map((i) => `.${i}`).join("")}${junk ? ".x" : ""}`),
      type: fc.constantFrom(...Object.values(T), 0, 255),
      value: fc.oneof(
        fc.integer(),
        fc.bigInt(),
        fc.double(),
        fc.string(),
        fc.uint8Array({ maxLength: 10 }),
        fc.constant(null),
      ),
    });
    fc.assert(
      fc.property(
        fc.constantFrom("apc-rpdu2" as const, "raritan-pdu2" as const),
        fc.array(varbind, { maxLength: 30 }),
        (profile, varbinds) => {
          try {
            for (const r of snmpVarbindsToReadings(profile, varbinds, params)) {
              assert.ok(r.energyImportedMilliWattHours >= 0n);
            }
          } catch (error) {
            assert.ok(error instanceof ProtocolFrameError, String(error));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
