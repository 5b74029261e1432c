import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";
import { durationHelp, serveUntilStopped } from "./simServeUntilStopped.ts";

const options = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8443),
  outletWatts: z
    .string()
    .regex(/^\d+(?:,\d+)*$/u, "expected comma-separated watts such as 250,600")
    .transform((text) => text.split(",").map(Number))
    .default([250, 600]),
  user: z.string().min(1).default("ei-reader"),
  password: z.string().min(8).default("ei-reader-password"),
  durationMs: z.coerce.number().int().min(0).default(0),
});

/** `ei sim redfish`: a PDU's Redfish service. */
export const simRedfishCommand: CliCommand = {
  name: "redfish",
  description:
    "simulate a rack PDU's Redfish service (DMTF PowerDistribution, basic auth and sessions) over HTTP",
  configure: (command) => {
    command
      .option("--port <n>", "HTTP port on 127.0.0.1 (default 8443, plain HTTP)")
      .option("--outlet-watts <list>", "per-outlet power, comma-separated (default 250,600)")
      .option("--user <name>", "account (default ei-reader)")
      .option("--password <text>", "its password (default ei-reader-password; a simulator only)")
      .option("--duration-ms <ms>", durationHelp)
      .addHelpText(
        "after",
        "\ncurl -u ei-reader:ei-reader-password http://127.0.0.1:8443/redfish/v1/PowerEquipment/RackPDUs/1" +
          '\nGateway adapter: {"kind":"redfish","url":"http://127.0.0.1:8443","pduId":"1",…}',
      );
  },
  action: async (context, _args, raw) => {
    const o = parseCliOptions(options, raw);
    const { startRedfishPduSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startRedfishPduSimulator");
    const sim = await startRedfishPduSimulator({
      port: o.port,
      outletWatts: o.outletWatts,
      userName: o.user,
      password: o.password,
    });
    await serveUntilStopped(
      context,
      { url: sim.url, pduUri: sim.pduUri },
      `Redfish PDU at ${sim.url}${sim.pduUri}`,
      o.durationMs,
      () => sim.close(),
    );
    return ExitCode.ok;
  },
};
