import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import {
  createDsmrStreamSplitter,
  dsmrTelegramToReadings,
  parseDsmrTelegram,
} from "@energy-intelligence/sdk/protocols/index";
import type { ProtocolReading } from "@energy-intelligence/sdk/protocols/index";
import { startP1TcpSimulator } from "./startP1TcpSimulator.ts";

describe("startP1TcpSimulator", () => {
  it("streams valid DSMR 5 telegrams whose counters advance with power × time", async () => {
    let clock = Date.UTC(2025, 0, 15, 12, 0, 0);
    const sim = await startP1TcpSimulator({
      intervalMs: 60_000,
      powerImportMilliWatts: 3_600_000,
      now: () => clock,
    });
    try {
      const socket = connect(sim.port, sim.host);
      await new Promise((resolve) => socket.once("connect", resolve));
      const splitter = createDsmrStreamSplitter();
      const readings: ProtocolReading[] = [];
      const two = new Promise<void>((resolve) => {
        socket.on("data", (chunk: Buffer) => {
          for (const event of splitter.push(chunk)) {
            if (event.type === "telegram")
              readings.push(...dsmrTelegramToReadings(parseDsmrTelegram(event.text)));
          }
          if (readings.length >= 2) resolve();
        });
      });
      // Small writes may coalesce or split on the socket; the splitter copes either way.
      sim.tick();
      clock += 10_000; // 10 s at 3.6 kW = 10 Wh
      sim.tick();
      await two;
      socket.destroy();
      const [first, second] = readings;
      assert.ok(first && second);
      assert.equal(
        second.energyImportedMilliWattHours - first.energyImportedMilliWattHours,
        10_000n,
      );
      assert.equal(second.timestampMs - first.timestampMs, 10_000);
      assert.equal(first.powerMilliWatts, 3_600_000);
      assert.equal(first.deviceId, "53494D3030303031");
    } finally {
      await sim.close();
    }
  });
});
