// Child side of runInChild: node childEntry.ts <moduleUrl> <exportName> <jsonArgs>.
// Prints one result line; maxRSS is in kilobytes on Linux and macOS.
const [moduleUrl, exportName, jsonArgs] = process.argv.slice(2);
if (moduleUrl === undefined || exportName === undefined || jsonArgs === undefined) {
  process.stderr.write("usage: childEntry.ts <moduleUrl> <exportName> <jsonArgs>\n");
  process.exit(2);
}
const module = (await import(moduleUrl)) as Record<string, unknown>;
const task = module[exportName];
if (typeof task !== "function") {
  process.stderr.write(`${moduleUrl} has no exported function ${exportName}\n`);
  process.exit(2);
}
const result: unknown = await (task as (args: unknown) => unknown)(JSON.parse(jsonArgs));
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`BENCH_CHILD_RESULT ${JSON.stringify({ result, maxRssBytes })}\n`);
