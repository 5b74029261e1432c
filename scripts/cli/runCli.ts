import { Command, CommanderError, Option } from "commander";
import type { CliCommand, CommandContext } from "./command.ts";
import { describeError, printError } from "./errors.ts";
import { ExitCode } from "./exitCodes.ts";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Serialises a result for --json; bigints become decimal strings so nothing loses precision. */
function toJson(data: unknown): string {
  return JSON.stringify(data, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}

function makeContext(json: boolean, io: CliIo): CommandContext {
  return {
    json,
    print: (data, text) => {
      io.stdout(json ? `${toJson(data)}\n` : `${text}\n`);
    },
    progress: (text) => {
      io.stderr(`${text}\n`);
    },
  };
}

/** Adds one command (and, recursively, its subcommands) to a commander parent. */
function register(
  parent: Command,
  spec: CliCommand,
  io: CliIo,
  setExitCode: (code: ExitCode) => void,
): void {
  const command = parent.command(spec.name).description(spec.description);
  // Each subcommand inherits the error handling and output settings of the root.
  command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  spec.configure?.(command);
  const action = spec.action;
  if (action !== undefined) {
    command.action(async (...received: unknown[]) => {
      // commander passes the declared arguments, then the options object, then the command.
      const self = received.at(-1) as Command;
      const args = received.slice(0, -2);
      const options = self.optsWithGlobals<Record<string, unknown>>();
      setExitCode(await action(makeContext(options.json === true, io), args, options));
    });
  }
  for (const child of spec.subcommands ?? []) register(command, child, io, setExitCode);
}

/**
 * Runs `ei` with the given arguments (without `node` and the script path) and
 * returns the exit code. Never throws and never calls process.exit, so output
 * is flushed and tests can call it in-process.
 */
export async function runCli(
  commands: readonly CliCommand[],
  argv: readonly string[],
  io: CliIo = processIo,
): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.ok;
  const program = new Command("ei")
    .description(
      "Energy-Intelligence: verifiable carbon data from factory electricity.\n" +
        "Exit codes: 0 success, 1 a check failed, 2 bad usage or input, 70 internal error.",
    )
    .addOption(new Option("--json", "machine-readable output: one JSON document on stdout"))
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError("(add --help for usage)");
  for (const spec of commands)
    register(program, spec, io, (code) => {
      exitCode = code;
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (
      error instanceof CommanderError &&
      (error.code === "commander.helpDisplayed" || error.code === "commander.version")
    )
      return ExitCode.ok;
    const report = describeError(error);
    // Commander already printed its own one-line message and the help hint.
    if (!(error instanceof CommanderError)) printError(report, argv.includes("--json"), io.stderr);
    return report.exitCode;
  }
}
