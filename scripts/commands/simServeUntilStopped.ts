import type { CommandContext } from "../cli/command.ts";

/**
 * Keeps a simulator running until SIGINT/SIGTERM, or for `durationMs` when
 * it is above 0, then closes it. Prints `listening` once (JSON with --json),
 * so scripts can wait for the line.
 */
export async function serveUntilStopped(
  context: CommandContext,
  listening: Record<string, unknown>,
  text: string,
  durationMs: number,
  close: () => Promise<void>,
): Promise<void> {
  context.print({ status: "listening", ...listening }, text);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      clearTimeout(timer);
      resolve();
    };
    const timer = durationMs > 0 ? setTimeout(stop, durationMs) : undefined;
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await close();
  context.progress("simulator stopped");
}

/** `--duration-ms`: 0 (default) runs until a signal. */
export const durationHelp = "stop after this many ms (default 0: until SIGINT/SIGTERM)";
