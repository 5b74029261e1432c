import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { glob, link, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Files a build writes into the dapp's own folder. They must not count as sources: `next build`
 * writes next-env.d.ts naming its distDir, so on a fresh clone the first build would change the
 * hash, and the next caller would delete that build while a server ran from it.
 */
const GENERATED = new Set(["next-env.d.ts", "tsconfig.tsbuildinfo"]);

/**
 * A hash of everything a production build depends on: the dapp's sources and config, the sdk
 * sources it compiles in, and the lockfile. Tests, build output, generated files and
 * dependencies' own folders are left out.
 */
export async function dappSourceHash(dappDir: string): Promise<string> {
  const hash = createHash("sha256");
  const roots: { dir: string; patterns: string[] }[] = [
    { dir: dappDir, patterns: ["*.{ts,tsx,mjs,js,json}", "app/**/*", "src/**/*", "public/**/*"] },
    { dir: path.join(projectRoot, "sdk", "src"), patterns: ["**/*.{ts,json}"] },
  ];
  const skip = (file: string): boolean =>
    GENERATED.has(file) ||
    /(^|[\\/])(node_modules|\.next[^\\/]*|test|test-results|bench|generated-test)([\\/]|$)/u.test(
      file,
    ) ||
    /\.(test|bench)\.tsx?$/u.test(file);
  for (const { dir, patterns } of roots) {
    const files = new Set<string>();
    for (const pattern of patterns) {
      for await (const file of glob(pattern, { cwd: dir })) if (!skip(file)) files.add(file);
    }
    for (const file of [...files].sort()) {
      const full = path.join(dir, file);
      if (!(await stat(full)).isFile()) continue;
      hash.update(`${path.relative(projectRoot, full)}\0`);
      hash.update(await readFile(full));
      hash.update("\0");
    }
  }
  const lockfile = path.join(projectRoot, "package-lock.json");
  if (existsSync(lockfile)) hash.update(await readFile(lockfile));
  return hash.digest("hex");
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
 * Runs `body` holding a lock file that names this process, so two builders sharing one checkout
 * never run `next build` into one folder at once. The pid is written to a private file and
 * hard-linked into place, so a rival never reads a lock that exists but is still empty. A lock
 * whose owner died is taken over. `waiting` is called once if the lock is busy.
 */
export async function withPidLock<T>(
  file: string,
  waiting: () => void,
  body: () => Promise<T>,
): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  // Unique per call: two callers in one process must not share (and delete) one private file.
  const mine = `${file}.${String(process.pid)}.${randomUUID()}`;
  await writeFile(mine, String(process.pid));
  try {
    for (let announced = false; ;) {
      try {
        await link(mine, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const owner = await readFile(file, "utf8").catch(() => undefined);
      // Released between our link and this read: try again at once.
      if (owner === undefined) continue;
      if (!isAlive(Number(owner))) {
        await rm(file, { force: true });
        continue;
      }
      if (!announced) waiting();
      announced = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
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
