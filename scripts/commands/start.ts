import path from "node:path";
import { z } from "zod";
import type { CliCommand } from "../cli/command.ts";
import { CliUsageError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exitCodes.ts";
import { parseCliOptions } from "./gatewayOptions.ts";

const optionsSchema = z.object({
  portBase: z.coerce.number().int().min(1024).max(65_500).default(8545),
  dataDir: z.string().min(1).optional(),
  periodSeconds: z.coerce.number().int().min(1).max(3600).default(10),
  reset: z.boolean().optional(),
  dapp: z.boolean().default(true),
  jobs: z.boolean().default(true),
});

/** `ei start`: the whole embedded stack plus a simulated factory (`npm start`). */
export const startCommand: CliCommand = {
  name: "start",
  description:
    "run the embedded stack on 127.0.0.1 with a simulated factory: a Hardhat chain with the contracts, the gateway (MQTT, HTTP, SQLite, IPFS, anchoring, job stamping, lot minting), the indexer's GraphQL and the dapp",
  configure: (command) => {
    command
      .option(
        "--port-base <n>",
        "chain on n, gateway HTTP n+1, MQTT n+2, subgraph GraphQL n+3, dapp n+4 (default 8545)",
      )
      .option(
        "--data-dir <dir>",
        "where the gateway store, IPFS blocks, indexed entities, deployments and secrets go (default .data/start/<time>)",
      )
      .option("--period-seconds <s>", "container period (default 10, so anchoring shows quickly)")
      .option(
        "--reset",
        "clear an earlier run's state in --data-dir and start over instead of resuming it",
      )
      .option("--no-dapp", "leave the dapp out (no build, no next start)")
      .option("--no-jobs", "run no production schedule (no stamps, so no lots)")
      .addHelpText(
        "after",
        "\nPrints one `name: url` line per service (chain, gateway, mqtt, ipfs, pact, subgraph, dapp," +
          "\nportal), the demo operator's portal sign-in, then `ready`; progress goes to stderr. The" +
          "\nfirst run builds the dapp (next build), later runs only when its sources changed. Ctrl-C" +
          "\n(SIGINT) or SIGTERM stops every service cleanly." +
          "\n" +
          "\nThe simulated factory: a CNC mill and a compressor on emonTx CT clamps (emonhub MQTT), an" +
          "\ninjection molder on a signing CT-clamp monitor, the main meter on DSMR P1, an IT rack on an" +
          "\nSNMP PDU and a SunSpec PV inverter, all read by the gateway's adapters. Jobs of a minute or" +
          "\ntwo are stamped through the gateway's API (the mill) and Twilio SMS webhook (the molder);" +
          "\neach stopped job becomes a lot. Real time, a block a second, one confirmation." +
          "\n" +
          "\nA --data-dir that an earlier run filled is resumed: every block the Hardhat node mined is in" +
          "\n<data-dir>/chain/journal.jsonl, so a new node with the same genesis mines the same chain again" +
          "\n(progress on stderr), and the gateway, indexer and dapp carry on with their stores; no new" +
          "\ndeployment. After a crash the last seconds of blocks may be lost; if the gateway had confirmed" +
          "\na transaction in them, the start refuses. --reset clears the directory and starts over." +
          "\nWithout --data-dir each run gets a new directory." +
          '\nWith --json: {"services": {name: url}, "skipped": [{name, reason}], "portal": {username,' +
          "\npassword, passwordFile}} once ready.",
      );
  },
  action: async (context, _args, rawOptions) => {
    const options = parseCliOptions(optionsSchema, rawOptions);
    const dataDir =
      options.dataDir ??
      path.join(".data", "start", new Date().toISOString().replaceAll(":", "-").slice(0, 19));
    const { startStack } = await import("../start/startStack.ts");
    const { PreviousRunError } = await import("../start/startState.ts");
    const { StoreAheadOfChainError } = await import("../start/checkGatewayStoreAgainstChain.ts");
    const { ChainJournalError } = await import("../services/chainJournal.ts");
    const { ReplayMismatchError } = await import("../services/replayChainJournal.ts");
    const { HardhatNodeTimeoutError } = await import("../services/startHardhatNode.ts");
    // A signal while starting stops what is already running, then exits.
    const signalled = { interrupted: false };
    const interruptStart = (): void => {
      signalled.interrupted = true;
      context.progress("stopping after the current step …");
    };
    process.on("SIGINT", interruptStart);
    process.on("SIGTERM", interruptStart);
    let stack: Awaited<ReturnType<typeof startStack>>;
    try {
      stack = await startStack({
        portBase: options.portBase,
        dataDir,
        periodMs: options.periodSeconds * 1000,
        reset: options.reset === true,
        noDapp: !options.dapp,
        noJobs: !options.jobs,
        progress: (text) => {
          context.progress(text);
        },
      });
    } catch (error) {
      if (
        error instanceof PreviousRunError ||
        error instanceof StoreAheadOfChainError ||
        error instanceof ChainJournalError ||
        error instanceof ReplayMismatchError
      ) {
        throw new CliUsageError(
          error instanceof PreviousRunError
            ? error.message
            : `${dataDir} cannot be resumed: ${error.message}`,
          `Add --reset to clear it and start over, or give another --data-dir.`,
          { cause: error },
        );
      }
      if (error instanceof HardhatNodeTimeoutError) {
        throw new CliUsageError(
          error.message,
          "Start again when the machine is less busy, with --reset if it then says this first start stopped before its setup was complete.",
          { cause: error },
        );
      }
      throw error;
    } finally {
      process.off("SIGINT", interruptStart);
      process.off("SIGTERM", interruptStart);
    }
    if (signalled.interrupted) {
      context.progress("stopping …");
      await stack.stop();
      return ExitCode.ok;
    }
    for (const { name, reason } of stack.skipped) {
      context.progress(`${name}: not started (${reason})`);
    }
    context.progress(`data: ${dataDir}`);
    const { portal } = stack;
    context.print(
      {
        services: Object.fromEntries(stack.services.map(({ name, url }) => [name, url])),
        skipped: stack.skipped,
        ...(portal === undefined
          ? {}
          : {
              portal: {
                username: portal.username,
                password: portal.password,
                passwordFile: portal.passwordFile,
              },
            }),
      },
      [
        ...stack.services.map(({ name, url }) => `${name}: ${url}`),
        ...(portal === undefined
          ? []
          : [
              `portal sign-in: user ${portal.username}, password ${portal.password} (kept in ${portal.passwordFile})`,
            ]),
        "ready",
      ].join("\n"),
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
