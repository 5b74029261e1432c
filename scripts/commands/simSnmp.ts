import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";
import { durationHelp, serveUntilStopped } from "./simServeUntilStopped.ts";

const watts = z
  .string()
  .regex(/^\d+(?:,\d+)*$/u, "expected comma-separated watts such as 200,1000")
  .transform((text) => text.split(",").map(Number));

const options = z.object({
  port: z.coerce.number().int().min(1).max(65_535).default(1161),
  profile: z.enum(["apc-rpdu2", "raritan-pdu2"]).default("apc-rpdu2"),
  outletWatts: watts.default([200, 1000]),
  community: z.string().min(1).default("ei-read"),
  durationMs: z.coerce.number().int().min(0).default(0),
});

/** `ei sim snmp`: a PDU's SNMP agent. */
export const simSnmpCommand: CliCommand = {
  name: "snmp",
  description:
    "simulate a smart PDU's SNMP v2c/v3 agent (APC PowerNet-MIB rPDU2 or Raritan PDU2-MIB) on UDP",
  configure: (command) => {
    command
      .option("--port <n>", "UDP port on 127.0.0.1 (default 1161)")
      .option("--profile <p>", "apc-rpdu2 (default) or raritan-pdu2")
      .option("--outlet-watts <list>", "per-outlet power, comma-separated (default 200,1000)")
      .option("--community <text>", "v2c read community (default ei-read)")
      .option("--duration-ms <ms>", durationHelp)
      .addHelpText(
        "after",
        "\nWalk it: snmpwalk -v2c -c ei-read 127.0.0.1:1161 1.3.6.1.4.1.318.1.1.26" +
          "\nv3 user ei-gateway (SHA/AES) with keys auth-secret-1234 / priv-secret-5678." +
          '\nGateway adapter: {"kind":"snmp","host":"127.0.0.1","port":1161,"profile":"apc-rpdu2",…}',
      );
  },
  action: async (context, _args, raw) => {
    const o = parseCliOptions(options, raw);
    const { startSnmpPduSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startSnmpPduSimulator");
    const sim = await startSnmpPduSimulator({
      port: o.port,
      profile: o.profile,
      outletWatts: o.outletWatts,
      community: o.community,
      v3User: { name: "ei-gateway", authKey: "auth-secret-1234", privKey: "priv-secret-5678" },
    });
    await serveUntilStopped(
      context,
      { host: sim.host, port: sim.port, profile: o.profile },
      `${o.profile} SNMP agent on udp://${sim.host}:${sim.port}`,
      o.durationMs,
      () => sim.close(),
    );
    return ExitCode.ok;
  },
};
