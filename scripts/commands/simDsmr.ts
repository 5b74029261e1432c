import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";
import { durationHelp, serveUntilStopped } from "./simServeUntilStopped.ts";

const options = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(2323),
  intervalMs: z.coerce.number().int().min(100).default(1000),
  watts: z.coerce.number().int().min(0).default(1500),
  exportWatts: z.coerce.number().int().min(0).default(0),
  equipmentId: z
    .string()
    .regex(/^[0-9A-F]{2,96}$/u, "expected the meter id as upper-case hex")
    .default("53494D3030303031"),
  durationMs: z.coerce.number().int().min(0).default(0),
});

/** `ei sim dsmr`: a P1 port behind a ser2net-style TCP bridge. */
export const simDsmrCommand: CliCommand = {
  name: "dsmr",
  description:
    "simulate a DSMR 5.0 smart meter's P1 port behind a ser2net-style TCP bridge (telegrams with CRC)",
  configure: (command) => {
    command
      .option("--port <n>", "TCP port on 127.0.0.1 (default 2323, 0 = any free one)")
      .option("--interval-ms <ms>", "time between telegrams (default 1000, as DSMR 5)")
      .option("--watts <W>", "constant import power (default 1500)")
      .option("--export-watts <W>", "constant export power (default 0)")
      .option("--equipment-id <hex>", "0-0:96.1.1 meter id (default 53494D3030303031)")
      .option("--duration-ms <ms>", durationHelp)
      .addHelpText(
        "after",
        '\nRead it with `nc 127.0.0.1 2323`, or point a gateway adapter at it:\n  {"kind":"dsmr","source":{"transport":"tcp","host":"127.0.0.1","port":2323},…}',
      );
  },
  action: async (context, _args, raw) => {
    const o = parseCliOptions(options, raw);
    const { startP1TcpSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startP1TcpSimulator");
    const sim = await startP1TcpSimulator({
      port: o.port,
      intervalMs: o.intervalMs,
      powerImportMilliWatts: o.watts * 1000,
      powerExportMilliWatts: o.exportWatts * 1000,
      equipmentId: o.equipmentId,
    });
    await serveUntilStopped(
      context,
      { host: sim.host, port: sim.port },
      `P1 telegrams on tcp://${sim.host}:${sim.port}`,
      o.durationMs,
      () => sim.close(),
    );
    return ExitCode.ok;
  },
};
