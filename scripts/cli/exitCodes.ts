/**
 * The `ei` exit codes, a public contract (docs/architecture.md, README): scripts
 * branch on them, so a crash must never look like a failed check.
 */
export const ExitCode = {
  /** The command did what was asked; a check passed. */
  ok: 0,
  /** A check ran and failed (e.g. `merkle verify` on a wrong proof). */
  checkFailed: 1,
  /** Bad usage or bad input: nothing was done. */
  usage: 2,
  /** A bug in `ei` itself (sysexits' EX_SOFTWARE); reported with a stack trace. */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
