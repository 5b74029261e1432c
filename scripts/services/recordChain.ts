import { createPublicClient, http, type Block, type Transaction } from "viem";
import type { ChainJournalWriter, JournalEntry, JournaledEmptyRun } from "./chainJournal.ts";
import { rawTransactionOf, UnjournalableTransactionError } from "./rawTransaction.ts";

export interface ChainRecorderParameters {
  rpcUrl: string;
  journal: ChainJournalWriter;
  /** The first block to record (the journal's head + 1). */
  fromBlock: number;
  /** How often to look for new blocks (default 200 ms). */
  pollIntervalMs?: number;
  /**
   * An open run of empty blocks is written once it is this long (default 10): what a crash can
   * lose of them. A block with transactions is written as soon as it is seen.
   */
  emptyRunMaxBlocks?: number;
  /** A block that cannot be journaled (stops recording), or an RPC failure (retried). */
  onError: (error: Error) => void;
}

export interface ChainRecorder {
  /** The last block written to the journal. */
  journaledHead(): number;
  /** Records every block up to the node's head now, writes the open run, and stops. */
  stop(): Promise<void>;
}

type FullBlock = Block<bigint, true, "latest">;

/**
 * Follows a node and appends each new block to the chain journal: a block with transactions as
 * its number, timestamp, hash and raw signed transactions; empty blocks as runs. Blocks are
 * recorded in order, each once, and nothing is written for a block before every earlier one is.
 */
export function startChainRecorder(parameters: ChainRecorderParameters): ChainRecorder {
  const client = createPublicClient({ transport: http(parameters.rpcUrl, { retryCount: 2 }) });
  const maxRun = parameters.emptyRunMaxBlocks ?? 10;
  let next = parameters.fromBlock;
  let written = parameters.fromBlock - 1;
  let run: JournaledEmptyRun | undefined;
  let failed = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const runEnd = (open: JournaledEmptyRun): number =>
    open.timestamp + (open.count - 1) * open.intervalSeconds;

  const write = async (entries: JournalEntry[]): Promise<void> => {
    await parameters.journal.write(entries);
    const last = entries[entries.length - 1];
    if (last !== undefined) written = last.number + (last.kind === "empty" ? last.count - 1 : 0);
  };

  /** Adds a block to the open run, or the open run and the block to `pending`. */
  const add = async (block: FullBlock, pending: JournalEntry[]): Promise<void> => {
    const number = Number(block.number);
    const timestamp = Number(block.timestamp);
    const transactions = block.transactions as Transaction[];
    if (transactions.length === 0) {
      if (
        run !== undefined &&
        (run.count === 1 || timestamp - runEnd(run) === run.intervalSeconds) &&
        timestamp > runEnd(run)
      ) {
        if (run.count === 1) run.intervalSeconds = timestamp - run.timestamp;
        run.count += 1;
        run.hash = block.hash;
      } else {
        if (run !== undefined) pending.push(run);
        run = { kind: "empty", number, count: 1, timestamp, intervalSeconds: 1, hash: block.hash };
      }
      // Cut at a fixed length, however many blocks one poll brings.
      if (run.count >= maxRun) {
        pending.push(run);
        run = undefined;
      }
      return;
    }
    if (run !== undefined) pending.push(run);
    run = undefined;
    pending.push({
      kind: "block",
      number,
      timestamp,
      hash: block.hash,
      transactions: await Promise.all(transactions.map((tx) => rawTransactionOf(tx))),
    });
  };

  const catchUp = async (final: boolean): Promise<void> => {
    if (failed) return;
    const head = Number(await client.getBlockNumber({ cacheTime: 0 }));
    while (next <= head) {
      const to = Math.min(head, next + 49);
      const numbers = Array.from({ length: to - next + 1 }, (_, index) => BigInt(next + index));
      const blocks = await Promise.all(
        numbers.map((blockNumber) => client.getBlock({ blockNumber, includeTransactions: true })),
      );
      const pending: JournalEntry[] = [];
      // A failed write leaves `next` where it was, so these blocks come again: the open run too.
      const runBefore = run === undefined ? undefined : { ...run };
      let complete: boolean;
      try {
        complete = await recordBlocks(blocks, pending);
      } catch (error) {
        run = runBefore;
        throw error;
      }
      if (!complete) return;
      next = to + 1;
    }
    if (final && run !== undefined) {
      const open = run;
      run = undefined;
      await write([open]);
    }
  };

  /** Journals `blocks`; false when one could not be, which ends the recording. */
  const recordBlocks = async (blocks: FullBlock[], pending: JournalEntry[]): Promise<boolean> => {
    for (const block of blocks) {
      try {
        await add(block, pending);
      } catch (error) {
        if (!(error instanceof UnjournalableTransactionError)) throw error;
        // The chain from here on cannot be rebuilt: say so in the journal, so resume refuses.
        if (run !== undefined) pending.push(run);
        run = undefined;
        pending.push({
          kind: "unjournaled",
          number: Number(block.number),
          reason: error.message,
        });
        await write(pending);
        failed = true;
        parameters.onError(
          new Error(
            `the chain journal stops before block ${block.number}: ${error.message}; this data directory cannot be resumed`,
          ),
        );
        return false;
      }
    }
    await write(pending);
    return true;
  };

  const poll = (): void => {
    running = catchUp(false)
      .catch((error: unknown) => {
        parameters.onError(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        if (!stopping && !failed) timer = setTimeout(poll, parameters.pollIntervalMs ?? 200);
      });
  };
  poll();

  return {
    journaledHead: () => written,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await running;
      try {
        await catchUp(true);
      } finally {
        await parameters.journal.close();
      }
    },
  };
}
