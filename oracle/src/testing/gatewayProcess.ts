import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

export interface GatewayProcess {
  child: ChildProcess;
  httpUrl: string;
  mqttUrl: string | undefined;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Starts `oracle/src/main.ts` as a child process and resolves once it prints
 * `ready` (for tests that kill it, benchmarks that must not share its thread).
 *
 * @example
 * ```ts
 * const gateway = await startGatewayProcess({ dataDir, set: { http: { port: 0 } } });
 * gateway.child.kill("SIGKILL");
 * ```
 */
export function startGatewayProcess(options: {
  dataDir: string;
  set?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
}): Promise<GatewayProcess> {
  const set = {
    http: { port: 0 },
    mqtt: { mode: "embedded", port: 0 },
    log: { level: "warn" },
    ...options.set,
    dataDir: options.dataDir,
  };
  const child = spawn(process.execPath, [MAIN, "--set", JSON.stringify(set)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      resolve(code ?? signal ?? -1);
    });
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let httpUrl: string | undefined;
    let mqttUrl: string | undefined;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
      for (const line of stdout.split("\n")) {
        if (line.startsWith("gateway: ")) httpUrl = line.slice(9).trim();
        if (line.startsWith("mqtt: ")) mqttUrl = line.slice(6).trim();
        if (line.trim() === "ready" && httpUrl !== undefined) {
          resolve({ child, httpUrl, mqttUrl, exited });
        }
      }
    });
    void exited.then((code) => {
      reject(new Error(`the gateway exited (${String(code)}) before it was ready: ${stderr}`));
    });
  });
}
