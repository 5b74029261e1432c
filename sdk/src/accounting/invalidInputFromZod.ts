import type { z } from "zod";
import { InvalidInputError } from "../errors/index.ts";

/**
 * Turns the first issue of a zod error into an InvalidInputError whose `path`
 * names the row and field, e.g. `readings[3].sequence`, so callers can point
 * at the bad value without parsing messages.
 *
 * @example
 * ```ts
 * const result = schema.safeParse(input);
 * if (!result.success) throw invalidInputFromZod("readings", result.error);
 * ```
 */
export function invalidInputFromZod(root: string, error: z.ZodError): InvalidInputError {
  const issue = error.issues[0];
  if (issue === undefined) return new InvalidInputError(root, "invalid input");
  let path = root;
  for (const key of issue.path) {
    path += typeof key === "number" ? `[${key}]` : `.${String(key)}`;
  }
  return new InvalidInputError(path, issue.message, {
    details: `${error.issues.length} problem(s) found; the first is reported`,
  });
}
