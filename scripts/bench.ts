/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name>...` the named
 * ones. Benchmarks are `<name>.bench.ts` files beside the code they measure;
 * each prints a table and writes bench/results/<name>.json.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { discoverBenchmarks } from "./bench/discoverBenchmarks.ts";
import { formatTable } from "./bench/formatTable.ts";
import { runInChild } from "./bench/runInChild.ts";
import { writeResult } from "./bench/writeResult.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const requested = process.argv.slice(2).filter((a) => a !== "--");
const benchmarks = await discoverBenchmarks(root);
const known = new Set(benchmarks.map((b) => b.definition.name));
const unknown = requested.filter((name) => !known.has(name));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}\n` +
      `valid names: ${[...known].join(", ")}\n`,
  );
  process.exit(2);
}
const selected = benchmarks.filter(
  (b) => requested.length === 0 || requested.includes(b.definition.name),
);
for (const { definition, file } of selected) {
  process.stderr.write(`[${definition.name}] ${definition.description} (${file})\n`);
  const started = performance.now();
  const metrics = await definition.run({
    progress: (message) => process.stderr.write(`[${definition.name}] ${message}\n`),
    runInChild,
  });
  const written = await writeResult(path.join(root, "bench", "results"), {
    name: definition.name,
    metrics,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\n${definition.name} (${seconds} s)\n${formatTable(metrics)}\n`);
  process.stdout.write(`wrote ${path.relative(root, written)}\n`);
}
