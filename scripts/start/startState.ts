import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/** What `ei start` records in its data directory about the run that filled it. */
export const startStateSchema = z.strictObject({
  format: z.literal("ei-start-state-v1"),
  startedAt: z.iso.datetime(),
  chainId: z.int().positive(),
  rpcUrl: z.string(),
  /** The registry's address: a chain with the same id but other contracts is another chain. */
  registry: z.string().regex(/^0x[0-9a-fA-F]{40}$/u),
});
export type StartState = z.output<typeof startStateSchema>;

export const STATE_FILE = "ei-start.json";
/** What `--reset` removes: the folders `ei start` writes, nothing else of the directory. */
const RUN_FOLDERS = ["gateway", "subgraph", "deployments", "secrets", "dapp", STATE_FILE] as const;

export class PreviousRunError extends Error {
  readonly dataDir: string;
  readonly previous: StartState | undefined;

  constructor(dataDir: string, previous: StartState | undefined) {
    super(
      `${dataDir} holds the state of an earlier \`ei start\`${
        previous === undefined ? "" : ` (started ${previous.startedAt})`
      }, whose Hardhat chain is gone: the node keeps its chain in memory only, so the gateway's anchored containers, stamped jobs and the indexer's entities point at blocks that no longer exist`,
    );
    this.name = "PreviousRunError";
    this.dataDir = dataDir;
    this.previous = previous;
  }
}

/**
 * Refuses a data directory an earlier run filled (see PreviousRunError), or
 * clears that run's folders when `reset` is set. Readings, documents and the
 * indexed entities of the earlier run stay on disk until then, for a look.
 */
export async function claimDataDir(dataDir: string, reset: boolean): Promise<void> {
  const file = path.join(dataDir, STATE_FILE);
  let text: string | undefined;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const gatewayStore = path.join(dataDir, "gateway", "gateway.sqlite");
  const hasStore = existsSync(gatewayStore);
  if (text === undefined && !hasStore) return;
  if (!reset) {
    const parsed = startStateSchema.safeParse(
      (() => {
        try {
          return JSON.parse(text ?? "null") as unknown;
        } catch {
          return null;
        }
      })(),
    );
    throw new PreviousRunError(dataDir, parsed.success ? parsed.data : undefined);
  }
  for (const folder of RUN_FOLDERS) {
    await rm(path.join(dataDir, folder), { recursive: true, force: true });
  }
}

export async function recordStartState(dataDir: string, state: StartState): Promise<void> {
  await writeFile(
    path.join(dataDir, STATE_FILE),
    `${JSON.stringify(startStateSchema.parse(state), null, 2)}\n`,
  );
}
