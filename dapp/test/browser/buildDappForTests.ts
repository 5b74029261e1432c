import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import { dappSourceHash, withPidLock } from "../../../scripts/start/dappBuildCache.ts";

export const DAPP_DIR = path.join(import.meta.dirname, "..", "..");
/** Next's output folder for test builds (relative to dapp/, gitignored by `dapp/.next*`). */
export const TEST_DIST_DIR = ".next-test";
const STAMP = "ei-test-source.sha256";

function nextCli(): string {
  const require = createRequire(path.join(DAPP_DIR, "package.json"));
  return path.join(path.dirname(require.resolve("next/package.json")), "dist", "bin", "next");
}

async function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextCli(), ...args], {
      cwd: DAPP_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString("utf8")).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`next ${args.join(" ")} failed (exit ${String(code)}):\n${output}`));
    });
  });
}

/**
 * `next build` into dapp/.next-test unless the build there was made from the same sources
 * (the stamp holds their hash), so repeated test runs skip the ~1-2 min build.
 */
export async function buildDappForTests(): Promise<{ built: boolean; distDir: string }> {
  const distPath = path.join(DAPP_DIR, TEST_DIST_DIR);
  const lock = path.join(DAPP_DIR, ".next-test-lock", "lock");
  return withPidLock(
    lock,
    () => undefined,
    async () => {
      const sourceHash = await dappSourceHash(DAPP_DIR);
      const stampFile = path.join(distPath, STAMP);
      if (existsSync(stampFile) && (await readFile(stampFile, "utf8")).trim() === sourceHash) {
        return { built: false, distDir: TEST_DIST_DIR };
      }
      await rm(distPath, { recursive: true, force: true });
      await run(["build"], {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        EI_DAPP_DIST_DIR: TEST_DIST_DIR,
      });
      await writeFile(stampFile, `${sourceHash}\n`);
      return { built: true, distDir: TEST_DIST_DIR };
    },
  );
}

export interface RunningNext {
  url: string;
  stop(): Promise<void>;
}

/** `next start` of the test build on 127.0.0.1:`port`, with the runtime configuration in `env`. */
export async function startNextServer(parameters: {
  port: number;
  env: Record<string, string>;
}): Promise<RunningNext> {
  const child = spawn(
    process.execPath,
    [nextCli(), "start", "--hostname", "127.0.0.1", "--port", String(parameters.port)],
    {
      cwd: DAPP_DIR,
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: "1",
        EI_DAPP_DIST_DIR: TEST_DIST_DIR,
        ...parameters.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-20_000);
    if (process.env.EI_TEST_LOG !== undefined) process.stderr.write(chunk);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const url = `http://127.0.0.1:${parameters.port}`;
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`next start did not answer within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
