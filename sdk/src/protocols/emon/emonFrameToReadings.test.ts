import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { emonFrameToReadings } from "./emonFrameToReadings.ts";
import { parseEmonMqttMessage } from "./parseEmonMqttMessage.ts";
import { parseEmonSerialLine } from "./parseEmonSerialLine.ts";
import type { EmonChannelMapping } from "./types.ts";

// The shape emonTx v4 (EmonLibCM firmware) prints on its serial port, values invented.
const SINGLE_PHASE_LINE =
  "MSG:53,Vrms:239.61,P1:412,P2:-1500,P3:0,P4:0,P5:0,P6:0,E1:10500,E2:-22001,E3:0,E4:0,E5:0,E6:0,pulse:0\r\n";
const THREE_PHASE_LINE =
  "MSG:7,V1:231.2,V2:229.8,V3:233.0,P1:1200,P2:1180,P3:1215,E1:5000,E2:4990,E3:5010,I1:5.21,I2:5.14,I3:5.22";

const channel = (
  input: number,
  overrides: Partial<EmonChannelMapping> = {},
): EmonChannelMapping => ({
  input,
  channel: input - 1,
  phase: "L1",
  calibration: "1",
  direction: "import",
  ...overrides,
});

describe("parseEmonSerialLine", () => {
  it("reads the key:value list of an emonTx v4 line as decimal text", () => {
    const frame = parseEmonSerialLine(SINGLE_PHASE_LINE);
    assert.equal(frame.node, undefined);
    assert.equal(frame.values.MSG, "53");
    assert.equal(frame.values.Vrms, "239.61");
    assert.equal(frame.values.E2, "-22001");
    assert.equal(Object.keys(frame.values).length, 15);
  });

  it("refuses a banner line, a non-numeric value, a repeated key and an endless line, each by reason", () => {
    const reasonOf = (line: string): string => {
      try {
        parseEmonSerialLine(line);
      } catch (error) {
        assert.ok(error instanceof ProtocolFrameError);
        return error.reason;
      }
      return "accepted";
    };
    assert.equal(reasonOf("emonTx V4 EmonLibCM Continuous Monitoring V1.6.0"), "bad-header");
    assert.equal(reasonOf("MSG:1,P1:abc"), "bad-value");
    assert.equal(reasonOf("MSG:1,P1:2,P1:3"), "bad-value");
    assert.equal(reasonOf(""), "bad-header");
    assert.equal(reasonOf(`MSG:1,${"P1:1,".repeat(300)}`), "wrong-length");
  });

  it("never throws anything but ProtocolFrameError on arbitrary input (fuzz)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (line) => {
        try {
          parseEmonSerialLine(line);
        } catch (error) {
          assert.ok(error instanceof ProtocolFrameError);
        }
      }),
    );
  });
});

describe("parseEmonMqttMessage", () => {
  it("reads emonhub's emon/<node>/<key> topics", () => {
    assert.deepEqual(parseEmonMqttMessage("emon/emontx4/E1", "10500\n"), {
      node: "emontx4",
      key: "E1",
      value: "10500",
    });
  });
  it("refuses other topics and non-numeric payloads", () => {
    assert.throws(() => parseEmonMqttMessage("emon/emontx4", "1"), { reason: "bad-header" });
    assert.throws(() => parseEmonMqttMessage("emoncms/a/P1", "1"), { reason: "bad-header" });
    assert.throws(() => parseEmonMqttMessage("emon/emontx4/P1", "NaN"), { reason: "bad-value" });
  });
});

describe("emonFrameToReadings", () => {
  it("single phase with a voltage reference: measured, E in mWh, import-positive power, export channel", () => {
    const readings = emonFrameToReadings(parseEmonSerialLine(SINGLE_PHASE_LINE), {
      deviceId: "emontx-1",
      voltageReference: true,
      timestampMs: 1000,
      channels: [channel(1), channel(2, { direction: "export" })],
    });
    assert.deepEqual(readings, [
      {
        deviceId: "emontx-1",
        channel: 0,
        timestampMs: 1000,
        energyImportedMilliWattHours: 10_500_000n,
        energyExportedMilliWattHours: 0n,
        powerMilliWatts: 412_000,
        voltageMilliVolts: 239_610,
        quality: "measured",
        authentication: "serial",
      },
      {
        deviceId: "emontx-1",
        channel: 1,
        timestampMs: 1000,
        energyImportedMilliWattHours: 0n,
        energyExportedMilliWattHours: 22_001_000n,
        powerMilliWatts: -1_500_000,
        voltageMilliVolts: 239_610,
        quality: "measured",
        authentication: "serial",
      },
    ]);
  });

  it("three-phase machine: each CT takes its own phase's voltage, current and calibration", () => {
    const readings = emonFrameToReadings(parseEmonSerialLine(THREE_PHASE_LINE), {
      deviceId: "press-7",
      voltageReference: true,
      timestampMs: 1000,
      channels: [
        channel(1, { phase: "L1" }),
        channel(2, { phase: "L2", calibration: "1.01" }),
        channel(3, { phase: "L3" }),
      ],
    });
    assert.deepEqual(
      readings.map((r) => [
        r.voltageMilliVolts,
        r.currentMilliAmperes,
        r.powerMilliWatts,
        r.energyImportedMilliWattHours,
      ]),
      [
        [231_200, 5210, 1_200_000, 5_000_000n],
        [229_800, 5191, 1_191_800, 5_039_900n],
        [233_000, 5220, 1_215_000, 5_010_000n],
      ],
    );
  });

  it("without a voltage reference (or without that phase's voltage) readings are apparent-power estimates", () => {
    const frame = parseEmonSerialLine("MSG:1,Vrms:240,P1:100,E1:2000");
    const [noReference] = emonFrameToReadings(frame, {
      deviceId: "d",
      voltageReference: false,
      timestampMs: 1,
      channels: [channel(1)],
    });
    assert.equal(noReference?.quality, "estimated");
    assert.equal(noReference.voltageMilliVolts, undefined);
    const [noL2Voltage] = emonFrameToReadings(frame, {
      deviceId: "d",
      voltageReference: true,
      timestampMs: 1,
      channels: [channel(1, { phase: "L2" })],
    });
    assert.equal(noL2Voltage?.quality, "estimated");
  });

  it("refuses a mapped input without its energy counter and an export channel counting up", () => {
    const frame = parseEmonSerialLine("MSG:1,Vrms:240,P1:100,E1:2000");
    const parameters = { deviceId: "d", voltageReference: true, timestampMs: 1 };
    assert.throws(() => emonFrameToReadings(frame, { ...parameters, channels: [channel(2)] }), {
      reason: "missing-field",
    });
    assert.throws(
      () =>
        emonFrameToReadings(frame, {
          ...parameters,
          channels: [channel(1, { direction: "export" })],
        }),
      { reason: "bad-value" },
    );
  });

  it("calibration scales a growing counter into a growing counter (property)", () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000_000),
        fc.nat(1_000_000),
        fc.integer({ min: 1, max: 2_000_000 }),
        (first, increase, micro) => {
          const calibration = (micro / 1_000_000).toFixed(6);
          const read = (wattHours: number): bigint =>
            emonFrameToReadings(parseEmonSerialLine(`E1:${wattHours}`), {
              deviceId: "d",
              voltageReference: false,
              timestampMs: 1,
              channels: [channel(1, { calibration })],
            })[0]?.energyImportedMilliWattHours ?? -1n;
          assert.ok(read(first + increase) >= read(first));
        },
      ),
    );
  });
});
