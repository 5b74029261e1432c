import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { runEi } from "../cli/runEi.testHelper.ts";
import { readingSample } from "./merkleSample.testHelper.ts";

describe("ei merkle root", () => {
  let directory = "";
  const file = (name: string) => join(directory, name);

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "ei-merkle-root-"));
    await writeFile(file("readings.json"), JSON.stringify(readingSample));
    await writeFile(
      file("dump.json"),
      JSON.stringify(StandardMerkleTree.of(readingSample.values, readingSample.types).dump()),
    );
    const bad: Record<string, string> = {
      "not-json.json": "{ types: oops",
      "missing-values.json": JSON.stringify({ types: ["uint64"] }),
      "short-row.json": JSON.stringify({
        types: ["bytes32", "uint64"],
        values: [[`0x${"00".repeat(32)}`]],
      }),
      "bad-uint.json": JSON.stringify({
        types: ["uint8", "uint8"],
        values: [
          [1, 2],
          [3, "256"],
        ],
      }),
      "bad-bytes32.json": JSON.stringify({
        types: ["bytes32"],
        values: [[`0x${"00".repeat(32)}`], ["0x1234"]],
      }),
      "lossy-number.json": '{"types": ["uint256"], "values": [[1], [12345678901234567890]]}',
      "empty-values.json": JSON.stringify({ types: ["uint8"], values: [] }),
    };
    for (const [name, text] of Object.entries(bad)) await writeFile(file(name), text);
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("prints the same root as OpenZeppelin's StandardMerkleTree.of", async () => {
    const run = await runEi(["merkle", "root", file("readings.json")]);
    assert.equal(run.exitCode, 0, run.stderr);
    const expected = StandardMerkleTree.of(readingSample.values, readingSample.types).root;
    assert.equal(run.stdout, `${expected}\n`);
  });

  it("gives {root, leafCount, types} with --json", async () => {
    const run = await runEi(["--json", "merkle", "root", file("readings.json")]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      root: StandardMerkleTree.of(readingSample.values, readingSample.types).root,
      leafCount: readingSample.values.length,
      types: readingSample.types,
    });
  });

  it("reads an OpenZeppelin dump too", async () => {
    const run = await runEi(["merkle", "root", file("dump.json")]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(
      run.stdout,
      `${StandardMerkleTree.of(readingSample.values, readingSample.types).root}\n`,
    );
  });

  describe("when the file is bad, exits 2 naming the row and field, with nothing on stdout", () => {
    const cases: [string, RegExp][] = [
      ["not-json.json", /not-json\.json: not JSON/u],
      ["missing-values.json", /missing-values\.json: values: missing/u],
      ["short-row.json", /short-row\.json: values\[0\]: has 1 fields, types lists 2/u],
      ["bad-uint.json", /bad-uint\.json: values\[1\]\[1\]: .*uint8/u],
      ["bad-bytes32.json", /bad-bytes32\.json: values\[1\]\[0\]/u],
      ["lossy-number.json", /lossy-number\.json: values\[1\]\[0\]: .*not an exact integer/u],
      ["empty-values.json", /empty-values\.json: values: list at least one leaf/u],
      ["missing.json", /missing\.json: file not found/u],
    ];
    for (const [name, message] of cases) {
      it(name, async () => {
        const run = await runEi(["merkle", "root", file(name)]);
        assert.equal(run.exitCode, 2, run.stderr);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, message);
        assert.match(run.stderr, /\n {2}next: /u);
        assert.doesNotMatch(run.stderr, /^\s+at /mu, "no stack trace");
      });
    }
  });
});
