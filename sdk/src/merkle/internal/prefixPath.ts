import { InvalidInputError } from "../../errors/index.ts";

/**
 * `error` re-thrown with `prefix` put in front of its path. Hot loops pass
 * constant field paths (".salt", "[2]") and prefix the row only when something
 * fails, instead of building a path string per field per leaf.
 */
export function prefixPath(error: unknown, prefix: string): unknown {
  if (!(error instanceof InvalidInputError)) return error;
  const message = error.shortMessage.slice(error.path.length + 2);
  return new InvalidInputError(`${prefix}${error.path}`, message, {
    details: error.details,
    hints: error.hints,
    cause: error.cause,
  });
}
