import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runEi } from "./cli/runEi.testHelper.ts";

describe("ei", () => {
  it("lists its commands and the global --json option with --help, exit 0", async () => {
    const run = await runEi(["--help"]);
    assert.equal(run.exitCode, 0);
    assert.match(run.stdout, /^Usage: ei /u);
    assert.match(run.stdout, /--json/u);
    assert.match(run.stdout, /\n {2}cid <file>/u);
    assert.match(run.stdout, /\n {2}merkle/u);
  });

  it("shows a subcommand's own help", async () => {
    const run = await runEi(["merkle", "verify", "--help"]);
    assert.equal(run.exitCode, 0);
    assert.match(run.stdout, /^Usage: ei merkle verify /u);
    assert.match(run.stdout, /--proof-file/u);
  });

  it("exits 2 on an unknown command", async () => {
    const run = await runEi(["no-such-command"]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /unknown command 'no-such-command'/u);
  });

  it("exits 2 and shows usage when called without a command", async () => {
    const run = await runEi([]);
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /Usage: ei /u);
  });
});
