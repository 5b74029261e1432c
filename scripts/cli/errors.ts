import { CommanderError } from "commander";
import { BaseError, InvalidInputError } from "@energy-intelligence/sdk/errors/index";
import { ExitCode } from "./exitCodes.ts";

/**
 * A mistake in how `ei` was called or in the input it was given. Carries the
 * one-line summary and the next step the user should take.
 */
export class CliUsageError extends Error {
  override name = "CliUsageError";
  readonly nextStep: string;

  constructor(summary: string, nextStep: string, options?: ErrorOptions) {
    super(summary, options);
    this.nextStep = nextStep;
  }
}

/** What the user sees when a command fails, and the exit code. */
export interface ErrorReport {
  exitCode: ExitCode;
  /** Stable machine name of the failure, e.g. `InvalidInputError`. */
  code: string;
  summary: string;
  nextStep: string;
  /** Where in the input, when known (e.g. `values[3][1]`). */
  path?: string;
  /** Only for internal errors: the stack, so the bug can be reported. */
  stack?: string;
}

function isNodeSystemError(error: unknown): error is NodeJS.ErrnoException & { path?: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

// File-system failures are user errors: a wrong path, not a bug.
const FILE_ERRORS: Record<string, [summary: string, nextStep: string]> = {
  ENOENT: ["file not found", "Check the path; it is relative to the current directory."],
  EISDIR: ["is a directory, not a file", "Pass the path of a file."],
  EACCES: ["permission denied", "Check the file's permissions."],
  EPERM: ["permission denied", "Check the file's permissions."],
};

/**
 * Maps anything a command throws to a one-line summary, the next step, and an
 * exit code. User errors (bad usage, bad input, missing files) exit 2 with no
 * stack trace; anything unexpected is a bug and exits 70 with its stack.
 */
export function describeError(error: unknown): ErrorReport {
  if (error instanceof CliUsageError) {
    return {
      exitCode: ExitCode.usage,
      code: error.name,
      summary: error.message,
      nextStep: error.nextStep,
    };
  }
  if (error instanceof InvalidInputError) {
    return {
      exitCode: ExitCode.usage,
      code: error.name,
      summary: error.shortMessage,
      nextStep: error.hints[0] ?? "Fix the input at that path and run the command again.",
      path: error.path,
    };
  }
  if (error instanceof CommanderError) {
    // Commander has already printed its own message (e.g. "missing required argument").
    return {
      exitCode: ExitCode.usage,
      code: error.code,
      summary: error.message.replace(/^error: /u, ""),
      nextStep: "Run the command with --help to see its usage.",
    };
  }
  if (isNodeSystemError(error) && error.code !== undefined) {
    const known = FILE_ERRORS[error.code];
    if (known !== undefined) {
      return {
        exitCode: ExitCode.usage,
        code: error.code,
        summary: `${error.path ?? "input"}: ${known[0]}`,
        nextStep: known[1],
      };
    }
  }
  const message = error instanceof BaseError ? error.shortMessage : String(error);
  return {
    exitCode: ExitCode.internal,
    code: error instanceof Error ? error.name : "Error",
    summary: `internal error: ${error instanceof Error ? (error.message.split("\n")[0] ?? message) : message}`,
    nextStep: "This is a bug in ei; please report it with the command line and the trace below.",
    ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
  };
}

/** Writes an error report to stderr: two lines for people, or one JSON line with --json. */
export function printError(
  report: ErrorReport,
  json: boolean,
  stderr: (text: string) => void,
): void {
  if (json) {
    const { exitCode, ...rest } = report;
    stderr(`${JSON.stringify({ error: { ...rest, exitCode } })}\n`);
    return;
  }
  const where =
    report.path !== undefined && !report.summary.startsWith(report.path) ? `${report.path}: ` : "";
  stderr(`ei: ${where}${report.summary}\n  next: ${report.nextStep}\n`);
  if (report.stack !== undefined) stderr(`${report.stack}\n`);
}
