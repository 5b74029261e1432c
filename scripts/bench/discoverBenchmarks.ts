import { glob } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { benchmarkDefinitionSchema, type BenchmarkDefinition } from "./types.ts";

export interface DiscoveredBenchmark {
  definition: BenchmarkDefinition;
  /** Path of the bench file, relative to the root searched. */
  file: string;
}

/**
 * Every `*.bench.ts` under `root` (skipping node_modules and build output),
 * imported and checked to default-export a benchmark definition. Sorted by name;
 * two files claiming one name is an error.
 */
export async function discoverBenchmarks(root: string): Promise<DiscoveredBenchmark[]> {
  const found: DiscoveredBenchmark[] = [];
  const skip = (entry: string): boolean =>
    /(^|[\\/])(node_modules|\.git|artifacts|cache|\.next|coverage)([\\/]|$)/.test(entry);
  for await (const file of glob("**/*.bench.ts", { cwd: root, exclude: skip })) {
    if (skip(file)) continue;
    const module = (await import(pathToFileURL(path.join(root, file)).href)) as {
      default?: unknown;
    };
    const parsed = benchmarkDefinitionSchema.safeParse(module.default);
    if (!parsed.success) {
      throw new Error(
        `${file}: the default export is not a benchmark definition {name, description, run}`,
      );
    }
    found.push({ definition: parsed.data, file });
  }
  found.sort((a, b) => a.definition.name.localeCompare(b.definition.name));
  for (let i = 1; i < found.length; i++) {
    const a = found[i - 1];
    const b = found[i];
    if (a !== undefined && a.definition.name === b?.definition.name) {
      throw new Error(`benchmark "${a.definition.name}" is defined twice: ${a.file}, ${b.file}`);
    }
  }
  return found;
}
