import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runEi } from "../cli/runEi.testHelper.ts";

describe("ei cid", () => {
  let directory = "";
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "ei-cid-"));
    await writeFile(join(directory, "hello.txt"), "hello");
    // 256 KiB + 1: two chunks, so the CID is a dag-pb root.
    await writeFile(join(directory, "two-chunks.bin"), new Uint8Array(262_145).fill(7));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("prints the CID of a small file (a raw block)", async () => {
    const run = await runEi(["cid", join(directory, "hello.txt")]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq\n");
  });

  it("prints {cid, size, codec} with --json, before or after the subcommand", async () => {
    for (const args of [
      ["--json", "cid", join(directory, "two-chunks.bin")],
      ["cid", join(directory, "two-chunks.bin"), "--json"],
    ]) {
      const run = await runEi(args);
      assert.equal(run.exitCode, 0, run.stderr);
      const result = JSON.parse(run.stdout) as { cid: string; size: number; codec: string };
      assert.equal(result.codec, "dag-pb");
      assert.equal(result.size, 262_145);
      assert.match(result.cid, /^bafybei[a-z2-7]+$/u);
    }
  });

  it("reads stdin for -", async () => {
    const run = await runEi(["cid", "-"], "hello");
    assert.equal(run.stdout, "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq\n");
  });

  describe("when the input is wrong", () => {
    it("exits 2 with a summary and a next step for a missing file, no stack trace", async () => {
      const run = await runEi(["cid", join(directory, "missing.json")]);
      assert.equal(run.exitCode, 2);
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /missing\.json: file not found\n {2}next: Check the path/u);
      assert.doesNotMatch(run.stderr, /\bat .*\.ts:\d+/u);
    });

    it("exits 2 for a directory, naming it", async () => {
      const run = await runEi(["cid", directory]);
      assert.equal(run.exitCode, 2);
      assert.match(run.stderr, /is a directory/u);
      assert.ok(run.stderr.includes(directory));
    });

    it("reports the error as one JSON line on stderr with --json", async () => {
      const run = await runEi(["--json", "cid", join(directory, "missing.json")]);
      assert.equal(run.exitCode, 2);
      assert.equal(run.stdout, "");
      const report = JSON.parse(run.stderr) as { error: { code: string; exitCode: number } };
      assert.equal(report.error.code, "ENOENT");
      assert.equal(report.error.exitCode, 2);
    });

    it("exits 2 when the file argument is missing", async () => {
      const run = await runEi(["cid"]);
      assert.equal(run.exitCode, 2);
      assert.match(run.stderr, /missing required argument 'file'/u);
    });
  });
});
