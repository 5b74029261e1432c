import path from "node:path";
import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const optionsSchema = z.object({
  portBase: z.coerce.number().int().min(1024).max(65_500).default(8545),
  dataDir: z.string().min(1).optional(),
  periodSeconds: z.coerce.number().int().min(1).max(3600).default(10),
});

/** `ei start`: the whole embedded stack plus a simulated factory (`npm start`). */
export const startCommand: CliCommand = {
  name: "start",
  description:
    "run the embedded stack on 127.0.0.1: a Hardhat chain with the contracts, the gateway (MQTT, HTTP, SQLite, IPFS, anchoring) and a simulated factory",
  configure: (command) => {
    command
      .option("--port-base <n>", "chain on n, gateway HTTP on n+1, MQTT on n+2 (default 8545)")
      .option(
        "--data-dir <dir>",
        "where the gateway store, IPFS blocks and deployments go (default .data/start/<time>)",
      )
      .option("--period-seconds <s>", "container period (default 10, so anchoring shows quickly)")
      .addHelpText(
        "after",
        "\nPrints one `name: url` line per service (chain, gateway, mqtt, ipfs), then `ready`;" +
          "\nprogress goes to stderr. Ctrl-C (SIGINT) or SIGTERM stops every service cleanly." +
          "\nThe chain is a fresh Hardhat node each time, so each run starts a new data directory" +
          "\nunless --data-dir is given." +
          '\nWith --json: {"services": {name: url}, "notYet": [...]} once ready.',
      );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(optionsSchema, rawOptions);
    const dataDir =
      options.dataDir ??
      path.join(".data", "start", new Date().toISOString().replaceAll(":", "-").slice(0, 19));
    const { startStack } = await import("../start/startStack.ts");
    const stack = await startStack({
      portBase: options.portBase,
      dataDir,
      periodMs: options.periodSeconds * 1000,
      progress: (text) => {
        context.progress(text);
      },
    });
    if (stack.notYet.length > 0) {
      context.progress(`not part of the stack yet: ${stack.notYet.join(", ")}`);
    }
    context.progress(`data: ${dataDir}`);
    context.print(
      {
        services: Object.fromEntries(stack.services.map(({ name, url }) => [name, url])),
        notYet: stack.notYet,
      },
      [...stack.services.map(({ name, url }) => `${name}: ${url}`), "ready"].join("\n"),
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        // A second signal while closing exits at once.
        process.once("SIGINT", () => process.exit(1));
        process.once("SIGTERM", () => process.exit(1));
        context.progress("stopping …");
        void stack.stop().then(resolve);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    return ExitCode.ok;
  },
};
