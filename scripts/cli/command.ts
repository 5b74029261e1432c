import type { Command } from "commander";
import type { ExitCode } from "./exitCodes.ts";

/** What every command action gets: the output mode and where to write. */
export interface CommandContext {
  /** `--json` was given: print one JSON document on stdout. */
  readonly json: boolean;
  /** Prints the command's result: `data` as JSON with --json, else `text`. */
  print(data: unknown, text: string): void;
  /** Progress and notes for people; always stderr, so stdout stays parseable. */
  progress(text: string): void;
}

/**
 * One `ei` command, declared statically in its own file under
 * scripts/commands/: a name, a description, its arguments and options, and one
 * action. A group (like `merkle`) has subcommands instead of an action.
 */
export interface CliCommand {
  readonly name: string;
  readonly description: string;
  /** Declares arguments, options and help text on the commander command. */
  readonly configure?: (command: Command) => void;
  /**
   * Runs the command with the raw parsed arguments and options (validate them
   * with zod). Returns the exit code: 0, or 1 when a check failed. Throws for
   * bad input (InvalidInputError, CliUsageError).
   */
  readonly action?: (
    context: CommandContext,
    args: readonly unknown[],
    options: Readonly<Record<string, unknown>>,
  ) => Promise<ExitCode> | ExitCode;
  readonly subcommands?: readonly CliCommand[];
}
