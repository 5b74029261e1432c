import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root, where `node scripts/ei.ts` is run from. */
export const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface EiRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real CLI in a child process, as a user would (`node scripts/ei.ts …`),
 * optionally feeding stdin.
 */
export function runEi(args: readonly string[], stdin?: Uint8Array | string): Promise<EiRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/ei.ts", ...args], {
      cwd: repositoryRoot,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => {
      resolve({ exitCode, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}
