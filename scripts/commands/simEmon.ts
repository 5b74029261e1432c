import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { CliUsageError } from "../cli/errors.ts";
import { parseCliOptions } from "./gatewayOptions.ts";
import { durationHelp, serveUntilStopped } from "./simServeUntilStopped.ts";

const options = z.object({
  transport: z.enum(["tcp", "mqtt"]).default("tcp"),
  port: z.coerce.number().int().min(0).max(65_535).default(2324),
  url: z
    .string()
    .regex(/^mqtts?:\/\/./u, "expected an mqtt:// URL")
    .default("mqtt://127.0.0.1:1883"),
  node: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/u)
    .default("emontx4"),
  watts: z
    .string()
    .regex(/^\d+(?:,\d+){0,11}$/u, "expected 1 to 12 comma-separated watts")
    .transform((text) => text.split(",").map(Number))
    .default([400, 1200, 800]),
  volts: z.coerce.number().min(0).max(500).optional(),
  threePhase: z.boolean().default(false),
  intervalMs: z.coerce.number().int().min(100).default(10_000),
  durationMs: z.coerce.number().int().min(0).default(0),
});

/** `ei sim emon`: an OpenEnergyMonitor emonTx v4 with CT clamps. */
export const simEmonCommand: CliCommand = {
  name: "emon",
  description:
    "simulate an emonTx v4 CT-clamp monitor: its serial key:value line behind a TCP bridge, or emonhub's emon/<node>/<key> MQTT topics",
  configure: (command) => {
    command
      .option("--transport <t>", "tcp (default: serial line over TCP) or mqtt (emonhub)")
      .option("--port <n>", "TCP port on 127.0.0.1 for tcp (default 2324)")
      .option("--url <url>", "broker for mqtt (default mqtt://127.0.0.1:1883)")
      .option("--node <name>", "emonhub node name (default emontx4)")
      .option("--watts <list>", "real power per CT, comma-separated (default 400,1200,800)")
      .option(
        "--volts <V>",
        "measured mains voltage; omit for a monitor without a voltage reference",
      )
      .option("--three-phase", "report V1, V2, V3 (volts ±1 %) instead of one Vrms")
      .option("--interval-ms <ms>", "datalog period (default 10000)")
      .option("--duration-ms <ms>", durationHelp)
      .addHelpText(
        "after",
        "\nWithout --volts the gateway flags the readings estimated (apparent power)." +
          '\nGateway adapter: {"kind":"emon","source":{"transport":"tcp","host":"127.0.0.1","port":2324},"voltageReference":true,"channels":[{"input":1,"channel":0,"phase":"L1"}],…}',
      );
  },
  action: async (context, _args, raw) => {
    const o = parseCliOptions(options, raw);
    const { startEmonSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startEmonSimulator");
    const volts = o.volts;
    let sim;
    try {
      sim = await startEmonSimulator({
        transport:
          o.transport === "tcp" ? { kind: "tcp", port: o.port } : { kind: "mqtt", url: o.url },
        node: o.node,
        watts: o.watts,
        volts: o.threePhase ? undefined : volts,
        threePhaseVolts:
          o.threePhase && volts !== undefined ? [volts * 0.995, volts, volts * 1.008] : undefined,
        intervalMs: o.intervalMs,
      });
    } catch (error) {
      throw new CliUsageError(
        `cannot start the emon simulator: ${String(error)}`,
        "Check --port or --url.",
        {
          cause: error,
        },
      );
    }
    await serveUntilStopped(
      context,
      o.transport === "tcp"
        ? { transport: "tcp", host: sim.host, port: sim.port }
        : { transport: "mqtt", url: o.url, topics: `emon/${o.node}/#` },
      o.transport === "tcp"
        ? `emonTx serial lines on tcp://${sim.host ?? ""}:${sim.port ?? 0}`
        : `publishing emon/${o.node}/<key> to ${o.url}`,
      o.durationMs,
      () => sim.close(),
    );
    return ExitCode.ok;
  },
};
