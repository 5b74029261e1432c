import { ChainJournalError, lastBlockOf, type ChainJournal } from "./chainJournal.ts";
import { callJsonRpc } from "./callJsonRpc.ts";

/** A replayed block came out with another hash than the journal's: the chain is not the same. */
export class ReplayMismatchError extends Error {
  override name = "ReplayMismatchError";
  readonly blockNumber: number;

  constructor(blockNumber: number, detail: string) {
    super(`replaying the chain journal: block ${blockNumber} ${detail}`);
    this.blockNumber = blockNumber;
  }
}

interface RpcBlock {
  hash: string;
  timestamp: string;
}

/** Calls in one JSON-RPC batch, each answered in order; the first error is thrown. */
async function rpcBatch(
  url: string,
  calls: readonly { method: string; params: unknown[] }[],
): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((call, id) => ({ jsonrpc: "2.0", id, ...call }))),
  });
  const body = (await response.json()) as { id: number; error?: { message: string } }[];
  const failed = body.find((answer) => answer.error !== undefined);
  if (failed?.error !== undefined)
    throw new Error(`${calls[failed.id]?.method ?? "call"}: ${failed.error.message}`);
}

/** Empty blocks mined per JSON-RPC batch. */
const MINE_BATCH = 200;

const hex = (value: number): string => `0x${value.toString(16)}`;

async function blockAt(url: string, number: number): Promise<RpcBlock | null> {
  return callJsonRpc<RpcBlock | null>(url, "eth_getBlockByNumber", [hex(number), false]);
}

export interface ReplayChainJournalParameters {
  /** A node started with the journal's genesis (initialDate, chain id) and nothing mined yet. */
  rpcUrl: string;
  journal: ChainJournal;
  /** Called about once a second while replaying, and once at the end. */
  progress?: (done: number, total: number) => void;
}

/**
 * Mines the journal's chain again on a fresh node: each block's transactions sent as they were
 * signed, then the block mined at its recorded timestamp; runs of empty blocks a block at a
 * time, in batches. Every block's hash is checked against the journal, so the
 * replay stops at the first block that differs (ReplayMismatchError, naming it). Leaves the node
 * with automine and interval mining off, its clock set to carry on from now.
 */
export async function replayChainJournal(parameters: ReplayChainJournalParameters): Promise<void> {
  const { rpcUrl, journal } = parameters;
  const genesis = await blockAt(rpcUrl, 0);
  if (genesis?.hash !== journal.header.genesisHash)
    throw new ReplayMismatchError(
      0,
      `(genesis) is ${genesis?.hash ?? "missing"}, the journal's is ${journal.header.genesisHash}: the node was started with another genesis (initial date, chain id, accounts or Hardhat version)`,
    );
  const head = Number(await callJsonRpc<string>(rpcUrl, "eth_blockNumber"));
  if (head !== 0)
    throw new ChainJournalError(
      `a journal is replayed on a fresh node, but this one is at ${head}`,
    );
  await callJsonRpc(rpcUrl, "evm_setAutomine", [false]);
  await callJsonRpc(rpcUrl, "evm_setIntervalMining", [0]);

  let reported = performance.now();
  const check = async (number: number, expected: string, what: string): Promise<void> => {
    const block = await blockAt(rpcUrl, number);
    if (block?.hash !== expected)
      throw new ReplayMismatchError(
        number,
        `${what}came out as ${block?.hash ?? "nothing"}, but the journal recorded ${expected}`,
      );
  };
  for (const entry of journal.entries) {
    switch (entry.kind) {
      case "unjournaled":
        throw new ChainJournalError(
          `block ${entry.number} was not journaled (${entry.reason}), so the chain cannot be rebuilt past block ${entry.number - 1}`,
        );
      case "block": {
        for (const [index, raw] of entry.transactions.entries()) {
          try {
            await callJsonRpc(rpcUrl, "eth_sendRawTransaction", [raw]);
          } catch (error) {
            throw new ReplayMismatchError(
              entry.number,
              `: its transaction ${index} was refused (${(error as Error).message})`,
            );
          }
        }
        await callJsonRpc(rpcUrl, "evm_mine", [entry.timestamp]);
        await check(entry.number, entry.hash, "");
        break;
      }
      case "empty": {
        // One evm_mine per block, in JSON-RPC batches. Not hardhat_mine: EDR reserves the middle
        // blocks of a multi-block hardhat_mine as placeholders (zero parent hash and miner), so
        // they never hash like the interval-mined blocks they stand for.
        for (let offset = 0; offset < entry.count; offset += MINE_BATCH) {
          const calls = Array.from(
            { length: Math.min(MINE_BATCH, entry.count - offset) },
            (_, index) => ({
              method: "evm_mine",
              params: [entry.timestamp + (offset + index) * entry.intervalSeconds],
            }),
          );
          await rpcBatch(rpcUrl, calls);
        }
        await check(
          lastBlockOf(entry),
          entry.hash,
          entry.count === 1 ? "(empty) " : `(the last of ${entry.count} empty blocks) `,
        );
        break;
      }
    }
    if (parameters.progress !== undefined && performance.now() - reported > 1000) {
      reported = performance.now();
      parameters.progress(lastBlockOf(entry), journal.head);
    }
  }
  parameters.progress?.(journal.head, journal.head);
  // Mining at recorded timestamps moved the node's clock into the past; the next block is at the
  // present again (or just after the last one, if the clock went backwards since).
  const now = Math.floor(Date.now() / 1000);
  const next = Math.max(now, (journal.headTimestamp ?? 0) + 1);
  await callJsonRpc(rpcUrl, "evm_setNextBlockTimestamp", [next]);
}
