import { InvalidInputError } from "@energy-intelligence/sdk/errors/index";
import type { z } from "zod";

/** Validates parsed CLI options with zod; a failure names the flag (`--http-port`), exit 2. */
export function parseCliOptions<T extends z.ZodType>(schema: T, options: unknown): z.output<T> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? "");
  const flag = `--${key.replace(/[A-Z]/gu, (letter) => `-${letter.toLowerCase()}`)}`;
  throw new InvalidInputError(flag, issue?.message ?? "invalid value");
}
