import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { dsmrTelegramToReadings } from "./dsmrTelegramToReadings.ts";
import { formatDsmrTelegram } from "./formatDsmrTelegram.ts";
import { parseDsmrTelegram } from "./parseDsmrTelegram.ts";

describe("formatDsmrTelegram", () => {
  it("round-trips through the parser at 1 Wh resolution", () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 999_999_999_999n }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 1_300_000_000, max: 4_000_000_000 }),
        ([a = 0n, b = 0n, c = 0n, d = 0n], power, seconds) => {
          const text = formatDsmrTelegram({
            identification: "XMX5SIM",
            equipmentId: "53494D",
            timestampMs: seconds * 1000,
            importedMilliWattHours: [a, b],
            exportedMilliWattHours: [c, d],
            powerImportMilliWatts: power,
            powerExportMilliWatts: 0,
            voltageMilliVolts: 230_400,
            currentMilliAmperes: 5_000,
          });
          const [reading] = dsmrTelegramToReadings(parseDsmrTelegram(text));
          const wh = (x: bigint): bigint => x - (x % 1000n);
          assert.ok(reading);
          assert.equal(reading.energyImportedMilliWattHours, wh(a) + wh(b));
          assert.equal(reading.energyExportedMilliWattHours, wh(c) + wh(d));
          assert.equal(reading.powerMilliWatts, power - (power % 1000));
          assert.equal(reading.timestampMs, seconds * 1000);
          assert.equal(reading.voltageMilliVolts, 230_400);
        },
      ),
      { numRuns: 300 },
    );
  });
});
