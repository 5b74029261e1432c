import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { runEi } from "../cli/runEi.testHelper.ts";
import { readingSample } from "./merkleSample.testHelper.ts";

describe("ei merkle verify", () => {
  let directory = "";
  let input = "";
  const reference = StandardMerkleTree.of(readingSample.values, readingSample.types);
  const proof2 = reference.getProof(2);

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "ei-merkle-verify-"));
    input = join(directory, "readings.json");
    await writeFile(input, JSON.stringify(readingSample));
    await writeFile(join(directory, "proof.json"), JSON.stringify(proof2));
    await writeFile(join(directory, "proof-bad.json"), JSON.stringify({ proof: ["0x12"] }));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const verify = (...args: string[]) =>
    runEi(["merkle", "verify", input, "--root", reference.root, ...args]);

  it("exits 0 and says valid for OpenZeppelin's proof", async () => {
    const run = await verify("--index", "2", "--proof", proof2.join(","));
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, "valid\n");
  });

  it("takes the proof from a file: a JSON array or `ei --json merkle proof` output", async () => {
    assert.equal(
      (await verify("--index", "2", "--proof-file", join(directory, "proof.json"))).exitCode,
      0,
    );
    const proofRun = await runEi(["--json", "merkle", "proof", input, "--index", "4"]);
    await writeFile(join(directory, "proof4.json"), proofRun.stdout);
    const run = await runEi([
      "--json",
      "merkle",
      "verify",
      input,
      "--root",
      reference.root,
      "--index",
      "4",
      "--proof-file",
      join(directory, "proof4.json"),
    ]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      valid: true,
      root: reference.root,
      index: 4,
      leafHash: reference.leafHash(readingSample.values[4] ?? []),
    });
  });

  it("exits 1 and says invalid for another leaf's proof, a wrong root, or a truncated proof", async () => {
    const cases = [
      ["--index", "1", "--proof", proof2.join(",")],
      ["--index", "2", "--proof", proof2.slice(1).join(",")],
    ];
    for (const args of cases) {
      const run = await verify(...args);
      assert.equal(run.exitCode, 1, args.join(" "));
      assert.equal(run.stdout, "invalid\n");
    }
    const wrongRoot = await runEi([
      "--json",
      "merkle",
      "verify",
      input,
      "--root",
      `0x${"ab".repeat(32)}`,
      "--index",
      "2",
      "--proof",
      proof2.join(","),
    ]);
    assert.equal(wrongRoot.exitCode, 1);
    assert.equal((JSON.parse(wrongRoot.stdout) as { valid: boolean }).valid, false);
  });

  it("exits 2 for a malformed root, proof item or proof file, or no proof at all", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["merkle", "verify", input, "--root", "0x12", "--index", "2", "--proof", ""],
        /--root must be/u,
      ],
      [
        ["merkle", "verify", input, "--root", reference.root, "--index", "2", "--proof", "0xzz"],
        /--proof item 0/u,
      ],
      [
        ["merkle", "verify", input, "--root", reference.root, "--index", "2"],
        /exactly one of --proof and --proof-file/u,
      ],
      [
        [
          "merkle",
          "verify",
          input,
          "--root",
          reference.root,
          "--index",
          "2",
          "--proof-file",
          join(directory, "proof-bad.json"),
        ],
        /proof-bad\.json: /u,
      ],
      [["merkle", "verify", input, "--index", "2", "--proof", ""], /required option '--root/u],
    ];
    for (const [args, message] of cases) {
      const run = await runEi(args);
      assert.equal(run.exitCode, 2, args.join(" "));
      assert.equal(run.stdout, "");
      assert.match(run.stderr, message);
    }
  });
});
