import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { runEi } from "../cli/runEi.testHelper.ts";
import { readingSample } from "./merkleSample.testHelper.ts";

describe("ei merkle proof", () => {
  let directory = "";
  let input = "";
  const reference = StandardMerkleTree.of(readingSample.values, readingSample.types);

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "ei-merkle-proof-"));
    input = join(directory, "readings.json");
    await writeFile(input, JSON.stringify(readingSample));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("prints OpenZeppelin's proof, the value and the leaf hash with --json", async () => {
    const run = await runEi(["--json", "merkle", "proof", input, "--index", "3"]);
    assert.equal(run.exitCode, 0, run.stderr);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    assert.deepEqual(result, {
      root: reference.root,
      index: 3,
      value: readingSample.values[3],
      leafHash: reference.leafHash(readingSample.values[3] ?? []),
      proof: reference.getProof(3),
    });
  });

  it("prints labelled lines, the proof comma-separated", async () => {
    const run = await runEi(["merkle", "proof", input, "--index", "0"]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^root: ${reference.root}\nindex: 0\nvalue: \\[`, "u"));
    assert.ok(run.stdout.endsWith(`proof: ${reference.getProof(0).join(",")}\n`));
  });

  it("exits 2 for an index out of range or not a number, and without --index", async () => {
    for (const args of [["--index", "5"], ["--index", "-1"], ["--index", "one"], []]) {
      const run = await runEi(["merkle", "proof", input, ...args]);
      assert.equal(run.exitCode, 2, args.join(" "));
      assert.equal(run.stdout, "");
    }
  });
});
