/**
 * Long crash soak for anchoring: `node scripts/soak/anchor-crash.ts [kills] [periods]`
 * (default 100 kills over 300 one-second periods). The same scenario as
 * oracle/src/anchor/anchorCrash.test.ts with more kills: a gateway child
 * process closing and anchoring on a local hardhat node is killed with SIGKILL
 * at random points and restarted; afterwards every closed period must be
 * anchored exactly once and the store, the chain and IPFS must agree. Exits 1
 * naming each problem. Loopback only; stops by itself.
 */
import { runAnchorCrashScenario } from "../../oracle/src/anchor/testing/anchorCrashScenario.ts";

const kills = Number(process.argv[2] ?? 100);
const periods = Number(process.argv[3] ?? 300);
if (!Number.isInteger(kills) || kills < 1 || !Number.isInteger(periods) || periods < 1) {
  process.stderr.write("usage: node scripts/soak/anchor-crash.ts [kills] [periods]\n");
  process.exit(2);
}
const startedAtMs = Date.now();
const result = await runAnchorCrashScenario({
  kills,
  periods,
  maxDelayMs: 4000,
  log: (line) => process.stderr.write(`${line}\n`),
});
const seconds = ((Date.now() - startedAtMs) / 1000).toFixed(0);
process.stdout.write(
  `${result.kills} kills, ${result.containers} containers, ${result.confirmed} confirmed, ` +
    `${result.anchoredOnChain} anchored on chain, contiguous: ${result.periodsContiguous}, ${seconds} s\n`,
);
if (
  result.problems.length > 0 ||
  result.confirmed < result.settledContainers ||
  !result.periodsContiguous
) {
  for (const problem of result.problems) process.stdout.write(`problem: ${problem}\n`);
  process.exit(1);
}
process.stdout.write("exactly once: ok\n");
