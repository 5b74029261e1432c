import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** What `ei start` records in its data directory about the run that filled it. */
export const startStateSchema = z.strictObject({
  format: z.literal("ei-start-state-v2"),
  startedAt: z.iso.datetime(),
  chainId: z.int().positive(),
  /** The registry's address: a chain with the same id but other contracts is another chain. */
  registry: z.string().regex(/^0x[0-9a-fA-F]{40}$/u),
  /** The Hardhat node's genesis date: a restart starts the node with it and replays the journal. */
  initialDate: z.iso.datetime(),
});
export type StartState = z.output<typeof startStateSchema>;

/** The chain journal (scripts/services/chainJournal.ts), relative to the data directory. */
export const CHAIN_JOURNAL_FILE = path.join("chain", "journal.jsonl");

export const STATE_FILE = "ei-start.json";
/** What `--reset` removes: the folders `ei start` writes, nothing else of the directory. */
const RUN_FOLDERS = [
  "gateway",
  "subgraph",
  "deployments",
  "secrets",
  "dapp",
  "chain",
  STATE_FILE,
] as const;

/** A data directory an earlier run left that cannot be resumed. */
export class PreviousRunError extends Error {
  readonly dataDir: string;

  constructor(dataDir: string, why: string) {
    super(`${dataDir} holds the state of an earlier \`ei start\` that cannot be resumed: ${why}`);
    this.name = "PreviousRunError";
    this.dataDir = dataDir;
  }
}

/**
 * What an earlier run left in `dataDir`: nothing (a new run), a run to resume (its recorded
 * state and chain journal), or a PreviousRunError when it cannot be resumed (an older `ei start`
 * without a chain journal, or a first start that stopped before its setup was complete). With
 * `reset`, that run's folders are removed first and a new run starts.
 */
export async function claimDataDir(
  dataDir: string,
  reset: boolean,
): Promise<StartState | undefined> {
  const file = path.join(dataDir, STATE_FILE);
  const leftovers = RUN_FOLDERS.filter((folder) => existsSync(path.join(dataDir, folder)));
  if (leftovers.length === 0) return undefined;
  if (reset) {
    for (const folder of RUN_FOLDERS) {
      await rm(path.join(dataDir, folder), { recursive: true, force: true });
    }
    return undefined;
  }
  let text: string | undefined;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (text === undefined)
    throw new PreviousRunError(
      dataDir,
      `it has ${leftovers.join(", ")} but no ${STATE_FILE}, which a first start writes once the chain, the contracts and the demo site are set up, so that start stopped before`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  const parsed = startStateSchema.safeParse(json);
  if (!parsed.success) {
    const format =
      typeof json === "object" && json !== null && "format" in json ? String(json.format) : "?";
    throw new PreviousRunError(
      dataDir,
      format === "ei-start-state-v1"
        ? "it was written by an `ei start` that kept no chain journal, so its chain is gone with the node that ran it"
        : `${STATE_FILE} is not an ei-start-state-v2 record`,
    );
  }
  if (!existsSync(path.join(dataDir, CHAIN_JOURNAL_FILE)))
    throw new PreviousRunError(dataDir, `its chain journal ${CHAIN_JOURNAL_FILE} is missing`);
  return parsed.data;
}

export async function recordStartState(dataDir: string, state: StartState): Promise<void> {
  await writeFile(
    path.join(dataDir, STATE_FILE),
    `${JSON.stringify(startStateSchema.parse(state), null, 2)}\n`,
  );
}
