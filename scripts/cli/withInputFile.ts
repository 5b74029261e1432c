import { InvalidInputError } from "@energy-intelligence/sdk/errors/index";
import type { z } from "zod";
import { CliUsageError } from "./errors.ts";

/** `values[2][1]` from a zod issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === "number"
        ? `${text}[${key}]`
        : `${text}${text === "" ? "" : "."}${String(key)}`,
    "",
  );
}

/** A zod failure as a usage error naming the file, the row and the field. */
export function zodUsageError(file: string, error: z.ZodError, nextStep: string): CliUsageError {
  const issue = error.issues[0];
  const where = formatIssuePath(issue?.path ?? []);
  // zod says "Invalid input: expected array, received undefined" for a missing field.
  const message = (issue?.message ?? "invalid input").replace(
    /^Invalid input: expected (\w+), received undefined$/u,
    "missing (expected $1)",
  );
  return new CliUsageError(`${file}: ${where === "" ? "" : `${where}: `}${message}`, nextStep, {
    cause: error,
  });
}

/**
 * Runs work on the contents of an input file and re-labels the sdk's input
 * errors with the file's name, so the user learns which file and which
 * row/field is wrong (`tree.json: values[3][1]: …`).
 */
export function withInputFile<result>(file: string, work: () => result): result {
  try {
    return work();
  } catch (error) {
    if (error instanceof InvalidInputError)
      throw new CliUsageError(
        `${file}: ${error.shortMessage}`,
        error.hints[0] ?? "Fix that field in the file and run the command again.",
        { cause: error },
      );
    throw error;
  }
}
