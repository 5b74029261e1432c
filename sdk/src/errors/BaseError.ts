/**
 * The one error base of the sdk. A short message for people, the details that
 * explain it, and hints that say what to do next. Callers branch on `name`
 * (each subclass sets its own) rather than parsing messages.
 */
export interface BaseErrorParameters {
  details?: string | undefined;
  hints?: readonly string[] | undefined;
  cause?: unknown;
}

export class BaseError extends Error {
  override name = "BaseError";
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly hints: readonly string[];

  constructor(shortMessage: string, parameters: BaseErrorParameters = {}) {
    const lines = [shortMessage];
    if (parameters.details !== undefined) lines.push("", `Details: ${parameters.details}`);
    for (const hint of parameters.hints ?? []) lines.push(`Hint: ${hint}`);
    super(
      lines.join("\n"),
      parameters.cause === undefined ? undefined : { cause: parameters.cause },
    );
    this.shortMessage = shortMessage;
    this.details = parameters.details;
    this.hints = parameters.hints ?? [];
  }
}

/** Input that does not have the shape or range a format requires. */
export class InvalidInputError extends BaseError {
  override name = "InvalidInputError";
  /** Where in the input the problem is, e.g. `values[3][1]` or `readings[0].sequence`. */
  readonly path: string;

  constructor(path: string, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(`${path}: ${shortMessage}`, parameters);
    this.path = path;
  }
}

/** A check that should always hold did not: a bug or tampered data, never bad user input. */
export class InvariantError extends BaseError {
  override name = "InvariantError";
}
