import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ProtocolFrameError } from "../shared/ProtocolFrameError.ts";
import { dsmrTelegramToReadings } from "./dsmrTelegramToReadings.ts";
import { parseDsmrTelegram } from "./parseDsmrTelegram.ts";
import { withCrc } from "./fixtures/withCrc.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`fixtures/${name}`, import.meta.url), "latin1");

describe("dsmrTelegramToReadings", () => {
  it("sums the tariff registers of the DSMR 5.0.2 example into mWh counters", () => {
    const telegram = parseDsmrTelegram(withCrc(fixture("dsmr-5.0.2-spec-example.txt")));
    assert.deepEqual(dsmrTelegramToReadings(telegram), [
      {
        deviceId: "4B384547303034303436333935353037",
        channel: 0,
        timestampMs: Date.UTC(2010, 11, 9, 10, 30, 20),
        // 2 × 123456.789 kWh
        energyImportedMilliWattHours: 246_913_578_000n,
        energyExportedMilliWattHours: 246_913_578_000n,
        powerMilliWatts: 1_193_000,
        voltageMilliVolts: 220_100,
        currentMilliAmperes: 1_000,
        quality: "measured",
        authentication: "serial",
      },
    ]);
  });

  it("nets export against import in the e-MUCS example", () => {
    const telegram = parseDsmrTelegram(withCrc(fixture("emucs-1.7.1-spec-example.txt")));
    const [reading] = dsmrTelegramToReadings(telegram);
    assert.equal(reading?.energyImportedMilliWattHours, 15_792_000n); // 0.034 + 15.758 kWh
    assert.equal(reading.energyExportedMilliWattHours, 11_000n);
    assert.equal(reading.powerMilliWatts, 0);
  });

  it("reads a meter that prints only totals from 1-0:1.8.0 and 1-0:2.8.0", () => {
    const text = withCrc(
      "/XMX5LGF0010\r\n\r\n1-3:0.2.8(50)\r\n0-0:1.0.0(240331120000S)\r\n0-0:96.1.1(31)\r\n" +
        "1-0:1.8.0(000100.500*kWh)\r\n1-0:2.8.0(000000.250*kWh)\r\n!",
    );
    const [reading] = dsmrTelegramToReadings(parseDsmrTelegram(text));
    assert.equal(reading?.energyImportedMilliWattHours, 100_500_000n);
    assert.equal(reading.energyExportedMilliWattHours, 250_000n);
    assert.equal(reading.timestampMs, Date.UTC(2024, 2, 31, 10, 0, 0));
    assert.equal(reading.powerMilliWatts, undefined);
  });

  it("stamps a DSMR 2.2 telegram, which has no clock, with the arrival time", () => {
    const telegram = parseDsmrTelegram(fixture("dsmr-2.2-spec-example.txt"));
    assert.throws(
      () => dsmrTelegramToReadings(telegram),
      (error) =>
        error instanceof ProtocolFrameError &&
        error.reason === "missing-field" &&
        error.path === "0-0:1.0.0",
    );
    const [reading] = dsmrTelegramToReadings(telegram, { receivedAtMs: 1_700_000_000_000 });
    assert.equal(reading?.timestampMs, 1_700_000_000_000);
    assert.equal(reading.energyImportedMilliWattHours, 2_002_000n);
    assert.equal(reading.powerMilliWatts, 1_010_000);
  });

  it("refuses a telegram without any import register", () => {
    const telegram = parseDsmrTelegram(
      withCrc("/XMX5LGF0010\r\n\r\n1-3:0.2.8(50)\r\n0-0:1.0.0(240331120000S)\r\n!"),
    );
    assert.throws(
      () => dsmrTelegramToReadings(telegram),
      (error) => error instanceof ProtocolFrameError && error.reason === "missing-field",
    );
  });
});
