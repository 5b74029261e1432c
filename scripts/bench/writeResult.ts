import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BenchResult } from "./types.ts";

/** Writes `<dir>/<name>.json` and returns its path. */
export async function writeResult(dir: string, result: BenchResult): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${result.name}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
