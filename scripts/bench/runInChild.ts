import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildRun } from "./types.ts";

const CHILD_ENTRY = fileURLToPath(new URL("./childEntry.ts", import.meta.url));
const RESULT_PREFIX = "BENCH_CHILD_RESULT ";

/**
 * Runs `exportName(args)` from `moduleUrl` in a new Node process and returns
 * its result and peak RSS. Child stderr passes through (progress lines).
 */
export function runInChild<T>(
  moduleUrl: string,
  exportName: string,
  args: unknown,
): Promise<ChildRun<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CHILD_ENTRY, moduleUrl, exportName, JSON.stringify(args)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || line === undefined) {
        reject(new Error(`${exportName} in a child process exited with ${String(code)}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildRun<T>);
    });
  });
}
