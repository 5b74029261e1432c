import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runAnchorCrashScenario } from "./testing/anchorCrashScenario.ts";

describe("anchoring survives kill -9 (gateway child process, hardhat node, Helia, SQLite)", () => {
  it("anchors every closed period exactly once after 10 random SIGKILLs; chain, store and IPFS agree", async () => {
    const result = await runAnchorCrashScenario({ kills: 10, periods: 60, maxDelayMs: 4000 });
    assert.deepEqual(result.problems, []);
    assert.ok(result.containers >= 60, `${result.containers} containers`);
    assert.ok(
      result.confirmed >= result.settledContainers,
      "every container closed before the end is confirmed",
    );
    // No id twice and every anchored header matching its row are in `problems`. Containers
    // closed while the last run was stopping may still wait for their anchoring transaction.
    assert.ok(
      result.anchoredOnChain >= result.settledContainers &&
        result.anchoredOnChain <= result.containers,
      `${result.anchoredOnChain} anchored headers for ${result.containers} containers, ${result.settledContainers} settled`,
    );
    assert.ok(result.periodsContiguous, "no period skipped");
    assert.ok(
      new Set(result.confirmedAtKills).size > 1,
      `kills landed at different stages: ${result.confirmedAtKills.join(",")}`,
    );
  });
});
