import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { dappSourceHash, withPidLock } from "./dappBuildCache.ts";

const projectRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DAPP_DIR = path.join(projectRoot, "dapp");
/** Written into the build's folder once `next build` succeeded: the sources it was built from. */
const STAMP_FILE = "ei-start-source.sha256";
const LOCK_FILE = "ei-start-build.lock";

/** The dapp's runtime configuration (dapp/src/config/loadRuntimeConfig.ts, docs/dapp.md). */
export interface DappRuntimeEnv {
  subgraphUrl: string;
  gatewayUrl: string;
  ipfsGatewayUrl: string;
  chainId: number;
  rpcUrl: string;
  deploymentsFile: string;
  publicUrl: string;
}

export function dappEnv(runtime: DappRuntimeEnv): Record<string, string> {
  return {
    EI_DAPP_SUBGRAPH_URL: runtime.subgraphUrl,
    EI_DAPP_GATEWAY_URL: runtime.gatewayUrl,
    EI_DAPP_IPFS_GATEWAY_URL: runtime.ipfsGatewayUrl,
    EI_DAPP_CHAIN_ID: String(runtime.chainId),
    EI_DAPP_RPC_URL: runtime.rpcUrl,
    EI_DAPP_DEPLOYMENTS_FILE: runtime.deploymentsFile,
    EI_DAPP_PUBLIC_URL: runtime.publicUrl,
  };
}

/** Why the dapp cannot run, or undefined when dapp/ holds a Next.js app. */
export function missingDappReason(dappDir: string = DAPP_DIR): string | undefined {
  const config = ["next.config.ts", "next.config.mjs", "next.config.js"].some((name) =>
    existsSync(path.join(dappDir, name)),
  );
  if (!config) return `${path.relative(projectRoot, dappDir)}/ has no next.config`;
  const pages = ["app", path.join("src", "app")].some((dir) =>
    ["page.tsx", "page.jsx", "page.ts", "page.js"].some((page) =>
      existsSync(path.join(dappDir, dir, page)),
    ),
  );
  if (!pages) return `${path.relative(projectRoot, dappDir)}/ has no app/page`;
  let next: string;
  try {
    next = nextCli(dappDir);
  } catch {
    return "the next package is not installed (npm ci)";
  }
  return existsSync(next) ? undefined : "the next package is not installed (npm ci)";
}

function nextCli(dappDir: string): string {
  const require = createRequire(path.join(dappDir, "package.json"));
  return path.join(path.dirname(require.resolve("next/package.json")), "dist", "bin", "next");
}

function runNext(
  dappDir: string,
  args: readonly string[],
  env: Record<string, string>,
  onLine: (line: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, [nextCli(dappDir), ...args], {
    cwd: dappDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let pending = "";
  const split = (chunk: Buffer): void => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") onLine(line.trimEnd());
  };
  child.stdout.on("data", split);
  child.stderr.on("data", split);
  return child;
}

export interface DappBuild {
  /** Whether `next build` ran (false: the stamp matched the sources). */
  built: boolean;
  seconds: number;
}

/**
 * Builds the dapp for production unless the last build's stamp matches the
 * current sources. `next build`'s own lines are passed to `progress`.
 */
export async function buildDappIfChanged(parameters: {
  dappDir?: string;
  progress: (text: string) => void;
  /** Build even when the stamp matches. */
  force?: boolean;
}): Promise<DappBuild> {
  const dappDir = parameters.dappDir ?? DAPP_DIR;
  const started = performance.now();
  const stampFile = path.join(dappDir, ".next", STAMP_FILE);
  return withPidLock(
    path.join(dappDir, ".next", LOCK_FILE),
    () => {
      parameters.progress("dapp: another `ei start` is building the dapp; waiting …");
    },
    async () => {
      const sourceHash = await dappSourceHash(dappDir);
      const stamped = await readFile(stampFile, "utf8").catch(() => "");
      if (parameters.force !== true && stamped.trim() === sourceHash) {
        return { built: false, seconds: (performance.now() - started) / 1000 };
      }
      parameters.progress(
        stamped === ""
          ? "dapp: first run, building the production app (next build) …"
          : "dapp: sources changed since the last build, rebuilding (next build) …",
      );
      await rm(stampFile, { force: true });
      const child = runNext(dappDir, ["build"], {}, (line) => {
        parameters.progress(`dapp build: ${line}`);
      });
      const code = await new Promise<number | null>((resolve, reject) => {
        child.once("error", reject);
        child.once("exit", resolve);
      });
      if (code !== 0) {
        throw new Error(
          `next build failed (exit ${String(code)}); its output is above. Fix the dapp or run \`npm run build -w dapp\` to see the error.`,
        );
      }
      await writeFile(stampFile, `${sourceHash}\n`);
      return { built: true, seconds: (performance.now() - started) / 1000 };
    },
  );
}

export interface RunningDapp {
  url: string;
  stop(): Promise<void>;
}

/** `next start` on 127.0.0.1:port with the stack's runtime configuration; resolves once it answers. */
export async function startDapp(parameters: {
  dappDir?: string;
  port: number;
  env: Record<string, string>;
  progress: (text: string) => void;
  readyTimeoutMs?: number;
}): Promise<RunningDapp> {
  const dappDir = parameters.dappDir ?? DAPP_DIR;
  const url = `http://127.0.0.1:${parameters.port}`;
  const lines: string[] = [];
  const child = runNext(
    dappDir,
    ["start", "--hostname", "127.0.0.1", "--port", String(parameters.port)],
    { ...parameters.env, PORT: String(parameters.port) },
    (line) => {
      if (lines.length < 200) lines.push(line);
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (parameters.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited (${String(child.exitCode)}):\n${lines.join("\n")}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`the dapp did not answer at ${url}:\n${lines.join("\n")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { url, stop };
}
