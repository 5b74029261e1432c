import { CliUsageError } from "./errors.ts";
import { readInputFile } from "./readInputFile.ts";

/** Reads and parses a JSON file (or stdin for `-`); bad JSON is a usage error naming the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(await readInputFile(path));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliUsageError(
      `${path === "-" ? "stdin" : path}: not JSON (${reason})`,
      "Check that the file is a JSON document (e.g. with `node -e 'JSON.parse(…)'` or jq).",
      { cause: error },
    );
  }
}
