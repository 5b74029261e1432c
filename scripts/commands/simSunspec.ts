import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";
import { durationHelp, serveUntilStopped } from "./simServeUntilStopped.ts";

const options = z.object({
  port: z.coerce.number().int().min(1).max(65_535).default(1502),
  inverterWatts: z.coerce.number().int().min(0).default(3600),
  meterWatts: z.coerce.number().int().min(0).default(1800),
  baseAddress: z.enum(["40000", "0", "50000"]).default("40000"),
  durationMs: z.coerce.number().int().min(0).default(0),
});

/** `ei sim sunspec`: a SunSpec inverter and meter on Modbus TCP. */
export const simSunspecCommand: CliCommand = {
  name: "sunspec",
  description:
    "simulate a SunSpec Modbus TCP device: unit 1 an inverter (models 1, 103), unit 2 a meter (models 1, 203)",
  configure: (command) => {
    command
      .option("--port <n>", "TCP port on 127.0.0.1 (default 1502)")
      .option("--inverter-watts <W>", "inverter AC output (default 3600)")
      .option("--meter-watts <W>", "meter import (default 1800)")
      .option("--base-address <n>", "where SunS sits: 40000 (default), 0 or 50000")
      .option("--duration-ms <ms>", durationHelp)
      .addHelpText(
        "after",
        '\nGateway adapter: {"kind":"sunspec","host":"127.0.0.1","port":1502,"unitId":1,…}',
      );
  },
  action: async (context, _args, raw) => {
    const o = parseCliOptions(options, raw);
    const { startSunSpecModbusSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startSunSpecModbusSimulator");
    const sim = await startSunSpecModbusSimulator({
      port: o.port,
      inverterWatts: o.inverterWatts,
      meterWatts: o.meterWatts,
      baseAddress: Number(o.baseAddress),
    });
    await serveUntilStopped(
      context,
      {
        host: sim.host,
        port: sim.port,
        inverterUnitId: sim.inverterUnitId,
        meterUnitId: sim.meterUnitId,
      },
      `SunSpec on modbus-tcp://${sim.host}:${sim.port} (inverter unit ${sim.inverterUnitId}, meter unit ${sim.meterUnitId})`,
      o.durationMs,
      () => sim.close(),
    );
    return ExitCode.ok;
  },
};
