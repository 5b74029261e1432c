import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { glob, link, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

export const DAPP_DIR = path.join(import.meta.dirname, "..", "..");
const PROJECT_ROOT = path.join(DAPP_DIR, "..");
/** Next's output folder for test builds (relative to dapp/, gitignored by `dapp/.next*`). */
export const TEST_DIST_DIR = ".next-test";
const STAMP = "ei-test-source.sha256";

/** What a production build depends on: the dapp's sources and config, the sdk, the lockfile. */
export async function dappSourceHash(): Promise<string> {
  const hash = createHash("sha256");
  const roots = [
    { dir: DAPP_DIR, patterns: ["*.{ts,tsx,json}", "app/**/*", "src/**/*", "public/**/*"] },
    { dir: path.join(PROJECT_ROOT, "sdk", "src"), patterns: ["**/*.{ts,json}"] },
  ];
  const skip = (file: string): boolean =>
    /(^|[\\/])(node_modules|\.next[^\\/]*|test|test-results)([\\/]|$)/u.test(file) ||
    /\.(test|bench)\.tsx?$/u.test(file);
  for (const { dir, patterns } of roots) {
    const files = new Set<string>();
    for (const pattern of patterns)
      for await (const file of glob(pattern, { cwd: dir })) if (!skip(file)) files.add(file);
    for (const file of [...files].sort()) {
      const full = path.join(dir, file);
      if (!(await stat(full)).isFile()) continue;
      hash.update(`${path.relative(PROJECT_ROOT, full)}\0`);
      hash.update(await readFile(full));
      hash.update("\0");
    }
  }
  hash.update(await readFile(path.join(PROJECT_ROOT, "package-lock.json")));
  return hash.digest("hex");
}

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

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One builder at a time per checkout: a lock file naming the pid, taken over if that pid died.
 * The pid is written to a private file first and hard-linked into place, so a rival never reads
 * a lock that exists but is still empty (and takes it over while its owner builds).
 */
async function withLock<T>(file: string, body: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  const mine = `${file}.${String(process.pid)}`;
  await writeFile(mine, String(process.pid));
  try {
    for (;;) {
      try {
        await link(mine, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const owner = Number(await readFile(file, "utf8").catch(() => "0"));
        if (!isAlive(owner)) await rm(file, { force: true });
        else await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await rm(mine, { force: true });
  }
  try {
    return await body();
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * `next build` into dapp/.next-test unless the build there was made from the same sources
 * (the stamp holds their hash), so repeated test runs skip the ~1-2 min build.
 */
export async function buildDappForTests(): Promise<{ built: boolean; distDir: string }> {
  const distPath = path.join(DAPP_DIR, TEST_DIST_DIR);
  return withLock(path.join(DAPP_DIR, ".next-test-lock", "lock"), async () => {
    const sourceHash = await dappSourceHash();
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
  });
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
