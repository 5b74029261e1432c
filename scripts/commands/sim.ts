import { createHash } from "node:crypto";
import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { openGatewayStore } from "../cli/openGatewayStore.ts";
import { parseCliOptions } from "./gatewayOptions.ts";
import { simDsmrCommand } from "./simDsmr.ts";
import { simEmonCommand } from "./simEmon.ts";
import { simLoraCommand } from "./simLora.ts";
import { simModbusCommand } from "./simModbus.ts";
import { simPulseCommand } from "./simPulse.ts";
import { simRedfishCommand } from "./simRedfish.ts";
import { simSnmpCommand } from "./simSnmp.ts";
import { simSunspecCommand } from "./simSunspec.ts";

const bytes32 = z.string().regex(/^0x[0-9a-f]{64}$/u, "expected 0x and 64 lowercase hex digits");

const ctClampOptions = z.object({
  transport: z.enum(["mqtt", "http"]).default("mqtt"),
  url: z.string().optional(),
  devices: z.coerce.number().int().min(1).max(10_000).default(3),
  phases: z.enum(["1", "3"]).default("3"),
  profile: z.enum(["cnc-mill", "compressor", "injection-molder"]).default("cnc-mill"),
  count: z.coerce.number().int().min(1).default(60),
  stepsPerMessage: z.coerce.number().int().min(1).max(3000).default(10),
  intervalMs: z.coerce.number().int().min(1).default(1000),
  rate: z.coerce.number().min(0).default(10),
  window: z.coerce.number().int().min(1).max(10_000).default(16),
  seed: z.string().default("ei-sim"),
  site: bytes32.optional(),
  register: z.string().optional(),
});

const ctClampCommand: CliCommand = {
  name: "ct-clamp",
  description:
    "simulate CT-clamp machine monitors (1- or 3-phase) sending signed readings over MQTT or HTTP",
  configure: (command) => {
    command
      .option("--transport <t>", "mqtt (default) or http")
      .option(
        "--url <url>",
        "broker (mqtt://127.0.0.1:1883) or gateway (http://127.0.0.1:8080) URL",
      )
      .option("--devices <n>", "number of monitors (default 3)")
      .option("--phases <1|3>", "phases per monitor, one channel each (default 3)")
      .option("--profile <name>", "cnc-mill (default), compressor, injection-molder")
      .option("--count <n>", "messages per device (default 60)")
      .option("--steps-per-message <n>", "measurements per message (default 10)")
      .option("--interval-ms <ms>", "simulated time between measurements (default 1000)")
      .option(
        "--rate <n>",
        "messages per second over all devices, 0 = as fast as acks allow (default 10)",
      )
      .option("--window <n>", "messages in flight at most (default 16)")
      .option("--seed <text>", "derives device ids and keys, so runs repeat (default ei-sim)")
      .option("--site <bytes32>", "site id (default derived from the seed)")
      .option("--register <dataDir>", "register the simulated devices in this gateway store first")
      .addHelpText(
        "after",
        "\nProgress goes to stderr once a second. Exit 1 when any message was refused." +
          '\nWith --json: {"sent", "acknowledged", "readings", "rejected": {reason: count}, "elapsedMs", "devices": [{deviceId, publicKey}]}.',
      );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(ctClampOptions, rawOptions);
    const { LOAD_PROFILES } = await import("@energy-intelligence/oracle/sim/ctClampDevice");
    const { runCtClampSimulation } =
      await import("@energy-intelligence/oracle/sim/runCtClampSimulation");
    const derive = (label: string): `0x${string}` =>
      `0x${createHash("sha256").update(`${options.seed}/${label}`).digest("hex")}`;
    const siteId = (options.site ?? derive("site")) as `0x${string}`;
    const profile = LOAD_PROFILES[options.profile];
    if (profile === undefined) throw new Error(`no profile ${options.profile}`);
    const url =
      options.url ??
      (options.transport === "mqtt" ? "mqtt://127.0.0.1:1883" : "http://127.0.0.1:8080");
    let register;
    let close = (): void => undefined;
    if (options.register !== undefined) {
      const { DevicesRepository } =
        await import("@energy-intelligence/oracle/store/devicesRepository");
      const db = await openGatewayStore(options.register);
      register = new DevicesRepository(db);
      close = () => db.close();
    }
    let result;
    try {
      result = await runCtClampSimulation({
        transport: options.transport,
        url,
        siteId,
        machineIdOf: (index) => derive(`machine/${index}`),
        devices: options.devices,
        phases: options.phases === "1" ? 1 : 3,
        profile,
        count: options.count,
        stepsPerMessage: options.stepsPerMessage,
        intervalMs: options.intervalMs,
        rate: options.rate,
        window: options.window,
        seed: options.seed,
        register,
        onProgress: (p) => {
          const rejected = Object.entries(p.rejected)
            .map(([reason, n]) => `${reason} ${n}`)
            .join(", ");
          context.progress(
            `${(p.elapsedMs / 1000).toFixed(0)} s: ${p.acknowledged}/${options.count * options.devices} messages acknowledged, ${p.readings} readings` +
              (rejected === "" ? "" : `, refused: ${rejected}`),
          );
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH") {
        throw new CliUsageError(
          `cannot reach ${url}`,
          "Start the gateway (ei gateway) or pass the right --url.",
          {
            cause: error,
          },
        );
      }
      throw error;
    } finally {
      close();
    }
    const refused = Object.values(result.rejected).reduce((sum, n) => sum + n, 0);
    context.print(
      { ...result, siteId },
      `${result.acknowledged} messages (${result.readings} readings) acknowledged in ${(result.elapsedMs / 1000).toFixed(1)} s` +
        (refused === 0 ? "" : `; ${refused} refused: ${JSON.stringify(result.rejected)}`),
    );
    return refused === 0 ? ExitCode.ok : ExitCode.checkFailed;
  },
};

/** `ei sim <kind>`: device simulators, each speaking its device's real protocol. */
export const simCommand: CliCommand = {
  name: "sim",
  description:
    "device simulators speaking each device's own protocol (signed CT clamps, P1, SunSpec, Modbus, SNMP, Redfish, S0 pulse, emonTx, LoRaWAN webhooks)",
  subcommands: [
    ctClampCommand,
    simDsmrCommand,
    simSunspecCommand,
    simModbusCommand,
    simSnmpCommand,
    simRedfishCommand,
    simPulseCommand,
    simEmonCommand,
    simLoraCommand,
  ],
};
