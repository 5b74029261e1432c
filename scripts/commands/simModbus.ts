import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";
import { durationHelp, serveUntilStopped } from "./simServeUntilStopped.ts";

const options = z.object({
  port: z.coerce.number().int().min(1).max(65_535).default(1503),
  map: z.enum(["eastron-sdm630", "carlo-gavazzi-em24"]).default("eastron-sdm630"),
  watts: z.coerce.number().int().default(2000),
  durationMs: z.coerce.number().int().min(0).default(0),
  serial: z.string().min(1).optional(),
  baudRate: z.coerce.number().int().positive().default(9600),
});

/** `ei sim modbus`: a generic Modbus sub-meter (TCP, or RTU on a serial port) serving a shipped register map. */
export const simModbusCommand: CliCommand = {
  name: "modbus",
  description:
    "simulate a generic Modbus TCP or RTU sub-meter serving a shipped register map (Eastron SDM630 or Carlo Gavazzi EM24)",
  configure: (command) => {
    command
      .option("--port <n>", "TCP port on 127.0.0.1 (default 1503)")
      .option("--map <id>", "eastron-sdm630 (default) or carlo-gavazzi-em24")
      .option("--watts <W>", "power; negative exports (default 2000)")
      .option("--duration-ms <ms>", durationHelp)
      .option(
        "--serial <path>",
        "speak Modbus RTU on this serial port instead of TCP (an RS-485 adapter, or one end of a pty pair such as socat's)",
      )
      .option("--baud-rate <n>", "RTU line speed, 8N1 (default 9600)")
      .addHelpText(
        "after",
        '\nAny unit id answers. Gateway adapter:\n  TCP: {"kind":"modbus","connection":{"transport":"tcp","host":"127.0.0.1","port":1503},"map":"eastron-sdm630",…}\n  RTU: {"kind":"modbus","connection":{"transport":"serial","path":"<the other end of the line>","baudRate":9600,"parity":"none"},"unitId":1,"map":"eastron-sdm630",…}',
      );
  },
  action: async (context, _args, raw) => {
    const o = parseCliOptions(options, raw);
    const protocols = await import("@energy-intelligence/sdk/protocols/index");
    const { startModbusMeterSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startModbusMeterSimulator");
    const map = protocols.parseModbusRegisterMap(
      o.map === "eastron-sdm630" ? protocols.EASTRON_SDM630_MAP : protocols.CARLO_GAVAZZI_EM24_MAP,
    );
    if (o.serial !== undefined) {
      const { startModbusRtuMeterSimulator } =
        await import("@energy-intelligence/oracle/sim/protocols/startModbusRtuMeterSimulator");
      const rtu = await startModbusRtuMeterSimulator({
        path: o.serial,
        baudRate: o.baudRate,
        map,
        watts: o.watts,
      });
      await serveUntilStopped(
        context,
        { path: rtu.path, baudRate: o.baudRate, map: o.map },
        `${o.map} as Modbus RTU on ${rtu.path} (${o.baudRate} 8N1)`,
        o.durationMs,
        () => rtu.close(),
      );
      return ExitCode.ok;
    }
    const sim = await startModbusMeterSimulator({ port: o.port, map, watts: o.watts });
    await serveUntilStopped(
      context,
      { host: sim.host, port: sim.port, map: o.map },
      `${o.map} on modbus-tcp://${sim.host}:${sim.port}`,
      o.durationMs,
      () => sim.close(),
    );
    return ExitCode.ok;
  },
};
