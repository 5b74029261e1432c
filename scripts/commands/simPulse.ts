import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { CliUsageError } from "../cli/errors.ts";
import { parseCliOptions } from "./gatewayOptions.ts";
import { durationHelp, serveUntilStopped } from "./simServeUntilStopped.ts";

const options = z.object({
  url: z
    .string()
    .regex(/^mqtts?:\/\/./u, "expected an mqtt:// URL")
    .default("mqtt://127.0.0.1:1883"),
  topic: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/u)
    .default("s0-counter"),
  watts: z.coerce.number().int().min(0).default(2000),
  pulsesPerKwh: z.coerce.number().int().min(1).default(1000),
  intervalMs: z.coerce.number().int().min(100).default(10_000),
  durationMs: z.coerce.number().int().min(0).default(0),
});

/** `ei sim pulse`: a Tasmota pulse counter on a meter's S0 output. */
export const simPulseCommand: CliCommand = {
  name: "pulse",
  description:
    "simulate a Tasmota pulse counter on a kWh meter's S0 output publishing its cumulative count over MQTT",
  configure: (command) => {
    command
      .option("--url <url>", "broker (default mqtt://127.0.0.1:1883, the gateway's embedded one)")
      .option(
        "--topic <name>",
        "Tasmota device topic: publishes tele/<name>/SENSOR (default s0-counter)",
      )
      .option("--watts <W>", "load on the meter (default 2000)")
      .option("--pulses-per-kwh <n>", "meter constant (default 1000)")
      .option("--interval-ms <ms>", "telemetry period (default 10000)")
      .option("--duration-ms <ms>", durationHelp)
      .addHelpText(
        "after",
        '\nGateway adapter: {"kind":"pulse","format":"tasmota","inputs":[{"channel":0,"topic":"tele/s0-counter/SENSOR","pulsesPerKilowattHour":1000}],…}',
      );
  },
  action: async (context, _args, raw) => {
    const o = parseCliOptions(options, raw);
    const { startPulseCounterSimulator } =
      await import("@energy-intelligence/oracle/sim/protocols/startPulseCounterSimulator");
    let sim;
    try {
      sim = await startPulseCounterSimulator({
        url: o.url,
        topic: o.topic,
        watts: o.watts,
        pulsesPerKilowattHour: o.pulsesPerKwh,
        intervalMs: o.intervalMs,
      });
    } catch (error) {
      throw new CliUsageError(
        `cannot reach ${o.url}`,
        "Start the gateway (ei gateway) or pass --url.",
        {
          cause: error,
        },
      );
    }
    await serveUntilStopped(
      context,
      { url: o.url, topic: `tele/${o.topic}/SENSOR` },
      `publishing tele/${o.topic}/SENSOR to ${o.url} every ${o.intervalMs} ms`,
      o.durationMs,
      () => sim.close(),
    );
    return ExitCode.ok;
  },
};
