import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Hex } from "viem";

const mainFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "main.ts");

export interface GatewayChild {
  process: ChildProcess;
  httpUrl: string;
  /** Output so far (for failure messages). */
  output(): string;
}

/** Writes a gateway config file (JSON) and returns its path. */
export function writeGatewayConfig(file: string, config: Record<string, unknown>): string {
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * Starts `node oracle/src/main.ts --config <file>` as a child process and
 * resolves when it prints `ready`. A real process, so a test can kill -9 it.
 */
export async function startGatewayChild(parameters: {
  configFile: string;
  oracleKey: Hex;
  timeoutMs?: number;
}): Promise<GatewayChild> {
  const child = spawn(process.execPath, [mainFile, "--config", parameters.configFile], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, EI_ORACLE_KEY: parameters.oracleKey },
  });
  let output = "";
  let httpUrl: string | undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`gateway did not get ready:\n${output.slice(-4000)}`));
    }, parameters.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString("utf8");
      if (output.length > 200_000) output = output.slice(-100_000);
      httpUrl ??= /gateway: (\S+)/u.exec(output)?.[1];
      if (/^ready$/mu.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code ?? signal}) before ready:\n${output.slice(-4000)}`));
    });
  });
  return { process: child, httpUrl: httpUrl ?? "", output: () => output };
}

/** kill -9, and wait until the process is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      resolve();
    }),
  );
  child.kill("SIGKILL");
  await exited;
}
