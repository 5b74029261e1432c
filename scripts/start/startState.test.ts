import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import {
  CHAIN_JOURNAL_FILE,
  claimDataDir,
  PreviousRunError,
  recordStartState,
  STATE_FILE,
  type StartState,
} from "./startState.ts";

const STATE: StartState = {
  format: "ei-start-state-v2",
  startedAt: "2026-11-29T00:00:00.000Z",
  chainId: 31337,
  registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  initialDate: "2026-11-28T23:59:00.000Z",
};

describe("claimDataDir", () => {
  const dirs: string[] = [];
  const newDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(tmpdir(), "ei-start-state-"));
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("starts a new run in an empty directory", async () => {
    assert.equal(await claimDataDir(await newDir(), false), undefined);
  });

  it("resumes a run with its state and chain journal", async () => {
    const dir = await newDir();
    await mkdir(path.join(dir, "chain"));
    await writeFile(path.join(dir, CHAIN_JOURNAL_FILE), "");
    await recordStartState(dir, STATE);
    assert.deepEqual(await claimDataDir(dir, false), STATE);
  });

  it("refuses what cannot be resumed, saying why", async () => {
    const unfinished = await newDir();
    await mkdir(path.join(unfinished, "gateway"));
    await assert.rejects(
      claimDataDir(unfinished, false),
      (error: unknown) =>
        error instanceof PreviousRunError && error.message.includes("stopped before"),
    );
    const older = await newDir();
    await writeFile(
      path.join(older, STATE_FILE),
      JSON.stringify({ ...STATE, format: "ei-start-state-v1" }),
    );
    await assert.rejects(
      claimDataDir(older, false),
      (error: unknown) =>
        error instanceof PreviousRunError && error.message.includes("kept no chain journal"),
    );
    const noJournal = await newDir();
    await recordStartState(noJournal, STATE);
    await assert.rejects(claimDataDir(noJournal, false), /chain journal .* is missing/u);
  });

  it("--reset removes the run's folders only", async () => {
    const dir = await newDir();
    for (const folder of ["gateway", "chain", "subgraph"]) await mkdir(path.join(dir, folder));
    await recordStartState(dir, STATE);
    await writeFile(path.join(dir, "notes.txt"), "mine");
    assert.equal(await claimDataDir(dir, true), undefined);
    for (const folder of ["gateway", "chain", "subgraph", STATE_FILE])
      assert.equal(existsSync(path.join(dir, folder)), false, folder);
    assert.equal(existsSync(path.join(dir, "notes.txt")), true);
  });
});
