/**
 * `npm run bench -- adapters`: DSMR telegrams/s (CRC-checked parse plus
 * readings), LoRa payloads/s (decode plus readings) and emonTx lines/s
 * (three CTs with calibration: three readings), each against
 * JSON.parse of an equivalent JSON reading in the same run, the cheapest
 * "frame → object" a gateway could do.
 */
import { metric } from "../../../scripts/bench/types.ts";
import type { BenchmarkDefinition, BenchMetric } from "../../../scripts/bench/types.ts";
import { dsmrTelegramToReadings } from "./dsmr/dsmrTelegramToReadings.ts";
import { formatDsmrTelegram } from "./dsmr/formatDsmrTelegram.ts";
import { parseDsmrTelegram } from "./dsmr/parseDsmrTelegram.ts";
import { emonFrameToReadings } from "./emon/emonFrameToReadings.ts";
import { parseEmonSerialLine } from "./emon/parseEmonSerialLine.ts";
import { encodeLoraPayload } from "./lora/encodeLoraPayload.ts";
import { loraUplinkToReadings } from "./lora/loraUplinkToReadings.ts";

function perSecond(iterations: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(1000, iterations); i += 1) fn(i); // warm up the JIT
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) fn(i);
  return Math.round(iterations / ((performance.now() - started) / 1000));
}

const definition: BenchmarkDefinition = {
  name: "adapters",
  description:
    "device frames decoded per second: DSMR P1 telegrams, LoRaWAN payloads, emonTx lines",
  run: (context) => {
    const telegrams = Array.from({ length: 64 }, (_, i) =>
      formatDsmrTelegram({
        identification: "ISk5\\2MT382-1000",
        equipmentId: "4B384547303034303436333935353037",
        timestampMs: 1_767_225_600_000 + i * 1000,
        importedMilliWattHours: [123_456_789_000n + BigInt(i), 98_765_000n],
        exportedMilliWattHours: [0n, 1_000n],
        powerImportMilliWatts: 1_193_000,
        powerExportMilliWatts: 0,
        voltageMilliVolts: 230_100,
        currentMilliAmperes: 5_000,
      }),
    );
    const readingJson = telegrams.map((_, i) =>
      JSON.stringify({
        deviceId: "4B384547303034303436333935353037",
        channel: 0,
        timestampMs: 1_767_225_600_000 + i * 1000,
        energyImportedMilliWattHours: "123555554000",
        energyExportedMilliWattHours: "1000",
        powerMilliWatts: 1_193_000,
        voltageMilliVolts: 230_100,
        currentMilliAmperes: 5_000,
        quality: "measured",
        authentication: "serial",
      }),
    );
    const payload = encodeLoraPayload({
      version: 2,
      ageSeconds: 0,
      channels: [
        { channel: 0, energyImportedWh: 123_456_789, energyExportedWh: 10, powerDecawatts: 119 },
        { channel: 1, energyImportedWh: 42, energyExportedWh: 0, powerDecawatts: 3 },
      ],
    });
    const uplink = {
      networkServer: "ttn" as const,
      devEui: "70b3d57ed005a1b2",
      fCnt: 1,
      fPort: 10,
      payload,
      receivedAtMs: 1_767_225_600_000,
      radio: { rssi: -97, snr: 7, gatewayIds: ["gw"] },
    };
    context.progress("DSMR");
    const dsmr = perSecond(20_000, (i) =>
      dsmrTelegramToReadings(parseDsmrTelegram(telegrams[i % 64] ?? "")),
    );
    const json = perSecond(200_000, (i) => JSON.parse(readingJson[i % 64] ?? "{}"));
    context.progress("LoRa");
    const lora = perSecond(500_000, () => loraUplinkToReadings(uplink));
    context.progress("emon");
    const emonLines = Array.from(
      { length: 64 },
      (_, i) =>
        `MSG:${i},V1:231.2,V2:229.8,V3:233.0,P1:1200,P2:1180,P3:1215,E1:${5000 + i},E2:${4990 + i},E3:${5010 + i},I1:5.21,I2:5.14,I3:5.22,pulse:0`,
    );
    const emonChannels = (["L1", "L2", "L3"] as const).map((phase, index) => ({
      input: index + 1,
      channel: index,
      phase,
      calibration: "1.01",
      direction: "import" as const,
    }));
    const emon = perSecond(200_000, (i) =>
      emonFrameToReadings(parseEmonSerialLine(emonLines[i % 64] ?? ""), {
        deviceId: "press-7",
        channels: emonChannels,
        voltageReference: true,
        timestampMs: 1_767_225_600_000,
      }),
    );
    const metrics: BenchMetric[] = [
      metric("dsmr telegrams decoded", dsmr, "telegrams/s", {
        name: "JSON.parse of the equivalent reading",
        value: json,
      }),
      metric("lora payloads decoded", lora, "payloads/s", {
        name: "JSON.parse of the equivalent reading",
        value: json,
      }),
      metric("emon three-phase lines decoded", emon, "lines/s", {
        name: "JSON.parse of the equivalent reading",
        value: json,
      }),
    ];
    return Promise.resolve(metrics);
  },
};

export default definition;
