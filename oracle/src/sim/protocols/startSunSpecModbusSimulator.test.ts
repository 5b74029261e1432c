import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import ModbusRTU from "modbus-serial";
import {
  decodeSunSpecModel,
  ProtocolFrameError,
  sunspecModelsToReadings,
  walkSunSpecModels,
} from "@energy-intelligence/sdk/protocols/index";
import { startSunSpecModbusSimulator } from "./startSunSpecModbusSimulator.ts";
import type { SunSpecModbusSimulator } from "./startSunSpecModbusSimulator.ts";

describe("SunSpec Modbus TCP simulator read through walkSunSpecModels", () => {
  let clock = 1_700_000_000_000;
  let sim: SunSpecModbusSimulator;
  const client = new ModbusRTU.default();
  const read = (address: number, count: number): Promise<Uint16Array> =>
    client
      .readHoldingRegisters(address, count)
      .then((r: { data: number[] }) => Uint16Array.from(r.data));

  before(async () => {
    sim = await startSunSpecModbusSimulator({
      inverterWatts: 3600,
      meterWatts: 1800,
      now: () => clock,
    });
    await client.connectTCP(sim.host, { port: sim.port });
    client.setTimeout(2000);
  });
  after(async () => {
    client.close(() => undefined);
    await sim.close();
  });

  it("walks model 1 + 103 on the inverter and reads its advancing WH counter", async () => {
    client.setID(sim.inverterUnitId);
    const models = await walkSunSpecModels(read);
    assert.deepEqual(
      models.map((m) => [m.id, m.address, m.registers.length]),
      [
        [1, 40002, 66],
        [103, 40070, 50],
      ],
    );
    assert.deepEqual(decodeSunSpecModel(models[0] ?? assert.fail("no model")), {
      kind: "common",
      manufacturer: "Energy-Intelligence",
      model: "SIM-INV-103",
      serialNumber: "INV-0001",
    });
    const first = sunspecModelsToReadings(models, { timestampMs: clock });
    assert.equal(first[0]?.energyExportedMilliWattHours, 1_000_000_000n);
    assert.equal(first[0].powerMilliWatts, -3_600_000);
    assert.equal(first[0].voltageMilliVolts, 230_100);
    assert.equal(first[0].currentMilliAmperes, 18_300);
    clock += 3_600_000; // one hour at 3.6 kW
    const second = sunspecModelsToReadings(await walkSunSpecModels(read), { timestampMs: clock });
    assert.equal(second[0]?.energyExportedMilliWattHours, 1_003_600_000n);
  });

  it("reads the meter's TotWhImp with its scale factor, and TotWhExp=0 as not implemented", async () => {
    client.setID(sim.meterUnitId);
    const models = await walkSunSpecModels(read);
    assert.deepEqual(
      models.map((m) => m.id),
      [1, 203],
    );
    const points = decodeSunSpecModel(models[1] ?? assert.fail("no model"));
    assert.equal(points?.energyExportedWattHours, undefined);
    assert.equal(points?.watts, 1800);
    const [reading] = sunspecModelsToReadings(models, { timestampMs: clock });
    assert.equal(reading?.deviceId, "MTR-0001");
    // 500 000 Wh + 1800 W × 1 h, in 10 Wh steps.
    assert.equal(reading.energyImportedMilliWattHours, 501_800_000n);
    assert.equal(reading.authentication, "polled");
  });

  it("surfaces a Modbus exception to the caller and refuses a device without SunS", async () => {
    client.setID(sim.meterUnitId);
    await assert.rejects(read(1, 2), (error: { modbusCode?: number }) => error.modbusCode === 2);
    await assert.rejects(
      walkSunSpecModels(() => Promise.resolve(Uint16Array.from([0, 0]))),
      (error) => error instanceof ProtocolFrameError && error.reason === "not-sunspec",
    );
  });
});
