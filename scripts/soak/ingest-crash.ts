/**
 * Long crash soak for ingest: `node scripts/soak/ingest-crash.ts [iterations]`
 * (default 200). Runs the same kill -9 test as `npm test` with more iterations;
 * every acknowledged reading must be stored exactly once after each restart.
 * Sends only to loopback and stops by itself.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const iterations = Number(process.argv[2] ?? 200);
if (!Number.isInteger(iterations) || iterations < 1) {
  process.stderr.write("usage: node scripts/soak/ingest-crash.ts [iterations]\n");
  process.exit(2);
}
const testFile = fileURLToPath(
  new URL("../../oracle/src/ingest/ingestCrash.test.ts", import.meta.url),
);
const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", testFile], {
  stdio: "inherit",
  env: { ...process.env, EI_CRASH_ITERATIONS: String(iterations) },
});
process.exit(result.status ?? 1);
