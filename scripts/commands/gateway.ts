import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const optionsSchema = z.object({
  config: z.string().optional(),
  dataDir: z.string().optional(),
  httpHost: z.string().optional(),
  httpPort: z.coerce.number().int().min(0).max(65_535).optional(),
  mqttHost: z.string().optional(),
  mqttPort: z.coerce.number().int().min(0).max(65_535).optional(),
  mqttUrl: z.string().optional(),
  mqtt: z.boolean().optional(),
  logLevel: z.string().optional(),
});

/** `ei gateway`: the oracle gateway alone (ingest over MQTT and HTTP into the site store). */
export const gatewayCommand: CliCommand = {
  name: "gateway",
  description:
    "run the site gateway: device ingest over MQTT and HTTP into a durable SQLite store, HTTP API with /openapi.json, /healthz, /readyz, /metrics",
  configure: (command) => {
    command
      .option("--config <file>", "gateway config file (JSON; see oracle/README.md)")
      .option("--data-dir <dir>", "where the store lives (default data/gateway)")
      .option("--http-host <host>", "HTTP bind address (default 127.0.0.1)")
      .option("--http-port <port>", "HTTP port, 0 for any free one (default 8080)")
      .option("--mqtt-host <host>", "embedded MQTT broker bind address (default 127.0.0.1)")
      .option("--mqtt-port <port>", "embedded MQTT broker port (default 1883)")
      .option("--mqtt-url <url>", "use an external broker (mqtt://…) instead of the embedded one")
      .option("--no-mqtt", "no MQTT at all (HTTP ingest only)")
      .option("--log-level <level>", "fatal, error, warn, info (default), debug, trace, silent")
      .addHelpText(
        "after",
        "\nPrints `gateway: <url>`, `mqtt: <url>` and `ready`, then runs until SIGINT/SIGTERM, when it commits" +
          "\neverything received and exits 0. The oracle key comes from EI_ORACLE_KEY or EI_ORACLE_KEY_FILE" +
          "\n(or `oracleKeyFile` in the config), never from a flag." +
          '\nWith --json: {"gateway": url, "mqtt": url|null} once ready.',
      );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(optionsSchema, rawOptions);
    const { loadGatewayConfig, loadGatewayEnv } =
      await import("@energy-intelligence/oracle/config/loadGatewayConfig");
    const { startGateway } = await import("@energy-intelligence/oracle/server");
    const mqtt =
      options.mqtt === false
        ? { mode: "off" }
        : options.mqttUrl !== undefined
          ? { mode: "external", url: options.mqttUrl }
          : options.mqttHost !== undefined || options.mqttPort !== undefined
            ? { mode: "embedded", host: options.mqttHost, port: options.mqttPort }
            : undefined;
    const config = loadGatewayConfig({
      file: options.config,
      overrides: {
        dataDir: options.dataDir,
        http: { host: options.httpHost, port: options.httpPort },
        mqtt,
        log: options.logLevel === undefined ? undefined : { level: options.logLevel },
      },
    });
    const env = loadGatewayEnv(process.env);
    const gateway = await startGateway(config, env);
    context.print(
      { gateway: gateway.httpUrl, mqtt: gateway.mqttUrl ?? null },
      `gateway: ${gateway.httpUrl}${gateway.mqttUrl === undefined ? "" : `\nmqtt: ${gateway.mqttUrl}`}\nready`,
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        // A second signal while closing exits at once.
        process.once("SIGINT", () => process.exit(1));
        process.once("SIGTERM", () => process.exit(1));
        void gateway.close().then(resolve);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    return ExitCode.ok;
  },
};
