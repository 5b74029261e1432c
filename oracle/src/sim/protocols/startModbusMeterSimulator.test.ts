import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import ModbusRTU from "modbus-serial";
import {
  CARLO_GAVAZZI_EM24_MAP,
  EASTRON_SDM630_MAP,
  modbusRegistersToReading,
  parseModbusRegisterMap,
  planModbusReads,
  pollErrorToFrameError,
  ProtocolFrameError,
} from "@energy-intelligence/sdk/protocols/index";
import type {
  ModbusRegisterBlock,
  ModbusRegisterMap,
} from "@energy-intelligence/sdk/protocols/index";
import { startModbusMeterSimulator } from "./startModbusMeterSimulator.ts";
import type { ModbusMeterSimulator } from "./startModbusMeterSimulator.ts";

/** What an adapter's poll does: plan, read each block, classify failures. */
async function poll(
  client: InstanceType<typeof ModbusRTU.default>,
  map: ModbusRegisterMap,
): Promise<ModbusRegisterBlock[]> {
  const blocks: ModbusRegisterBlock[] = [];
  for (const read of planModbusReads(map)) {
    try {
      const response =
        read.functionCode === 4
          ? await client.readInputRegisters(read.address, read.count)
          : await client.readHoldingRegisters(read.address, read.count);
      blocks.push({ ...read, words: response.data });
    } catch (error) {
      throw (
        pollErrorToFrameError(
          "modbus",
          error,
          `unit ${client.getID()} fc${read.functionCode}@${read.address}`,
        ) ?? error
      );
    }
  }
  return blocks;
}

for (const [name, input, tolerance] of [
  ["Eastron SDM630 (float32)", EASTRON_SDM630_MAP, 0n],
  ["Carlo Gavazzi EM24 (INT32 LSW first, 0.1 kWh steps)", CARLO_GAVAZZI_EM24_MAP, 100_000n],
] as const) {
  describe(`Modbus TCP meter simulator serving the ${name} map, read through modbus-serial`, () => {
    const map = parseModbusRegisterMap(input);
    let clock = 1_700_000_000_000;
    let sim: ModbusMeterSimulator;
    const client = new ModbusRTU.default();

    before(async () => {
      sim = await startModbusMeterSimulator({
        map,
        watts: 2000,
        startImportWattHours: 1_234_500,
        volts: 230.4,
        amps: 8.7,
        powerFactor: 0.97,
        silentUnitIds: [9],
        now: () => clock,
      });
      await client.connectTCP(sim.host, { port: sim.port });
      client.setTimeout(300);
      client.setID(1);
    });
    after(async () => {
      client.close(() => undefined);
      await sim.close();
    });

    it("decodes the meter's counters, power, voltage, current and power factor", async () => {
      const first = modbusRegistersToReading(map, await poll(client, map), {
        deviceId: "m1",
        timestampMs: clock,
      });
      assert.equal(first.energyImportedMilliWattHours, 1_234_500_000n);
      assert.equal(first.energyExportedMilliWattHours, 0n);
      assert.equal(first.powerMilliWatts, 2_000_000);
      assert.equal(first.voltageMilliVolts, 230_400);
      assert.equal(first.currentMilliAmperes, 8_700);
      assert.equal(first.powerFactorPerMille, 970);
      assert.equal(first.authentication, "polled");
      clock += 90 * 60_000; // 1.5 h at 2 kW = 3 kWh
      const second = modbusRegistersToReading(map, await poll(client, map), {
        deviceId: "m1",
        timestampMs: clock,
      });
      const delta = second.energyImportedMilliWattHours - first.energyImportedMilliWattHours;
      assert.ok(delta >= 3_000_000n - tolerance && delta <= 3_000_000n + tolerance, String(delta));
    });

    it("turns an exception response into modbus-exception and a dead unit into timeout", async () => {
      await assert.rejects(
        client.readInputRegisters(sim.lastAddress, 4).catch((error: unknown) => {
          throw pollErrorToFrameError("modbus", error, "past the map") ?? error;
        }),
        (error) =>
          error instanceof ProtocolFrameError &&
          error.reason === "modbus-exception" &&
          error.message.includes("exception 2"),
      );
      client.setID(9);
      try {
        await assert.rejects(
          poll(client, map),
          (error) => error instanceof ProtocolFrameError && error.reason === "timeout",
        );
      } finally {
        client.setID(1);
      }
      // The connection survives both: the next poll of a live unit works.
      const again = modbusRegistersToReading(map, await poll(client, map), {
        deviceId: "m1",
        timestampMs: clock,
      });
      assert.ok(again.energyImportedMilliWattHours > 0n);
    });
  });
}
