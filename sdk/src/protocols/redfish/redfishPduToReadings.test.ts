import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { parseRedfishResource } from "./parseRedfishResource.ts";
import { redfishPduToReadings } from "./redfishPduToReadings.ts";
import { redfishMeteredResourceSchema, redfishPowerDistributionSchema } from "./redfishSchemas.ts";

const PDU = "/redfish/v1/PowerEquipment/RackPDUs/1";
const pdu = parseRedfishResource(
  redfishPowerDistributionSchema,
  {
    "@odata.id": PDU,
    Id: "1",
    EquipmentType: "RackPDU",
    SerialNumber: null,
    Mains: { "@odata.id": `${PDU}/Mains` },
  },
  PDU,
);
const outlet = (id: string, extra: object) =>
  parseRedfishResource(
    redfishMeteredResourceSchema,
    { "@odata.id": `${PDU}/Outlets/${id}`, Id: id, ...extra },
    id,
  );
const reason = (r: string) => (error: unknown) =>
  error instanceof ProtocolFrameError && error.reason === r;

describe("redfishPduToReadings", () => {
  it("prefers LifetimeReading (not reset by ResetMetrics), converts kWh exactly, skips outlets without energy", () => {
    const readings = redfishPduToReadings(
      {
        pdu,
        mains: [
          outlet("AC1", {
            EnergykWh: { Reading: 1.5, LifetimeReading: 1234.567 },
            PowerWatts: { Reading: 812.4 },
          }),
          outlet("AC2", { EnergykWh: { Reading: 0.001 } }),
        ],
        outlets: [
          outlet("A1", {
            EnergykWh: { Reading: 0.1 },
            CurrentAmps: { Reading: 0.35 },
            Voltage: { Reading: 229.9 },
          }),
          outlet("A2", { PowerWatts: { Reading: 40 } }),
          outlet("A3", { EnergykWh: { Reading: 1e-7 } }),
        ],
      },
      { timestampMs: 5 },
    );
    assert.deepEqual(
      readings.map((r) => [r.deviceId, r.channel, r.energyImportedMilliWattHours]),
      [
        ["1", 0, 1_234_567_000n],
        ["1/mains-AC2", 0, 1_000n],
        ["1", 1, 100_000n], // 0.1 kWh, not 100000.00000000001
        ["1", 3, 0n], // 1e-7 kWh = 0.1 mWh rounds to 0
      ],
    );
    assert.equal(readings[0]?.powerMilliWatts, 812_400);
    assert.equal(readings[2]?.currentMilliAmperes, 350);
    assert.equal(readings[2].voltageMilliVolts, 229_900);
  });

  it("refuses malformed JSON, a wrong shape and a negative counter", () => {
    assert.throws(
      () => parseRedfishResource(redfishPowerDistributionSchema, "{not json", PDU),
      reason("malformed-json"),
    );
    assert.throws(
      () =>
        parseRedfishResource(
          redfishMeteredResourceSchema,
          { "@odata.id": "x", Id: "A1", EnergykWh: { Reading: "12" } },
          "A1",
        ),
      (error) =>
        reason("malformed-json")(error) &&
        (error as ProtocolFrameError).path === "A1#EnergykWh.Reading",
    );
    assert.throws(
      () =>
        redfishPduToReadings(
          { pdu, mains: [outlet("AC1", { EnergykWh: { Reading: -1 } })], outlets: [] },
          { timestampMs: 0 },
        ),
      reason("bad-value"),
    );
  });

  it("fuzz: any JSON text or value gives readings or a ProtocolFrameError", () => {
    const excerpt = fc.record(
      {
        Reading: fc.oneof(fc.double(), fc.constant(null), fc.string()),
        LifetimeReading: fc.oneof(fc.double(), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    const resource = fc.oneof(
      fc.jsonValue(),
      fc.record({
        "@odata.id": fc.string(),
        Id: fc.string(),
        EnergykWh: fc.oneof(excerpt, fc.constant(null)),
        PowerWatts: fc.oneof(excerpt, fc.jsonValue()),
      }),
    );
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 5 }), fc.string(), (values, text) => {
        try {
          const outlets = values.map((v, i) =>
            parseRedfishResource(redfishMeteredResourceSchema, v, `o${i}`),
          );
          for (const r of redfishPduToReadings({ pdu, mains: [], outlets }, { timestampMs: 0 })) {
            assert.ok(r.energyImportedMilliWattHours >= 0n);
          }
        } catch (error) {
          assert.ok(error instanceof ProtocolFrameError, String(error));
        }
        try {
          parseRedfishResource(redfishPowerDistributionSchema, text, PDU);
        } catch (error) {
          assert.ok(error instanceof ProtocolFrameError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
