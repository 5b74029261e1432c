/**
 * What the indexer reads of a block range, in as few round trips as the node allows: one
 * `eth_getLogs` for the data sources' addresses, then the headers of the blocks those logs are in
 * (and of the range's first and last block) as `eth_getBlockByNumber(n, false)` in JSON-RPC batches.
 * Values stay the node's hex where the host only needs bytes; numbers the indexer compares are
 * parsed once here. The answers are checked at this edge (zod), so a node answering something else
 * fails with the field named, not deep in a handler.
 */
import type { Hex } from "viem";
import { z } from "zod";
import type { JsonRpcBatch } from "./jsonRpcBatch.ts";

// Only the prefix is checked: a full regex over every log's data costs more than the decoder, which
// checks the data's length against the ABI anyway.
const hex = z.string().startsWith("0x", "expected 0x-hex") as unknown as z.ZodType<Hex>;
const quantity = z.string().regex(/^0x[0-9a-fA-F]+$/, "expected a 0x quantity");

const rpcLogSchema = z.object({
  address: hex,
  topics: z.array(hex),
  data: hex,
  blockNumber: quantity,
  blockHash: hex,
  logIndex: quantity,
  transactionHash: hex,
  transactionIndex: quantity,
  removed: z.boolean().optional(),
});

const rpcHeaderSchema = z.object({
  number: quantity,
  hash: hex,
  parentHash: hex,
  timestamp: quantity,
  sha3Uncles: hex.optional(),
  miner: hex.optional(),
  stateRoot: hex.optional(),
  transactionsRoot: hex.optional(),
  receiptsRoot: hex.optional(),
  gasUsed: quantity.optional(),
  gasLimit: quantity.optional(),
  difficulty: quantity.optional(),
  totalDifficulty: quantity.nullish(),
  size: quantity.optional(),
  baseFeePerGas: quantity.nullish(),
});

export type RpcHeader = z.infer<typeof rpcHeaderSchema>;

/** A log as the indexer uses it: hex as sent, positions as numbers. */
export interface RangeLog {
  address: Hex;
  topics: readonly Hex[];
  data: Hex;
  blockNumber: number;
  blockHash: Hex;
  logIndex: number;
  transactionHash: Hex;
  transactionIndex: number;
}

export interface RangeHeader {
  number: number;
  hash: Hex;
  parentHash: Hex;
  /** The node's header fields, hex as sent. */
  raw: RpcHeader;
}

export interface FetchedRange {
  from: number;
  to: number;
  /** The logs `wanted` kept, in (block, log index) order. */
  logs: RangeLog[];
  /** The headers of `from`, `to` and of every block in `logs`. */
  headers: Map<number, RangeHeader>;
}

/** The chain has no block at a number the range needs any more: it got shorter meanwhile. */
export class BlockMissingError extends Error {
  override name = "BlockMissingError";
}

const toQuantity = (n: number): Hex => `0x${n.toString(16)}`;

/** The headers of `numbers` (null where the chain has no such block), in JSON-RPC batches. */
const fetchHeaders = (rpc: JsonRpcBatch, numbers: readonly number[]): Promise<unknown[]> =>
  rpc.call(
    numbers.map((n) => ({ method: "eth_getBlockByNumber", params: [toQuantity(n), false] })),
  );

function parseOrExplain<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `the node's ${what} is not valid: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
    );
  }
  return parsed.data;
}

/**
 * Reads the range's logs of `addresses` (none when empty), keeps those `wanted` says, sorts them,
 * and reads the headers the range needs. A block the node does not have (any more) is a
 * `BlockMissingError`: the chain got shorter since the head was read.
 */
export async function fetchBlockRange(
  rpc: JsonRpcBatch,
  range: {
    from: number;
    to: number;
    addresses: readonly Hex[];
    /**
     * Ask for every block's header together with `eth_getLogs` instead of after it: one round trip
     * less, worth it when most blocks of the range have logs (else most headers are not needed).
     */
    everyHeader?: boolean;
  },
  wanted: (log: RangeLog) => boolean,
): Promise<FetchedRange> {
  const { from, to, addresses } = range;
  const everyHeader =
    range.everyHeader === true
      ? fetchHeaders(
          rpc,
          Array.from({ length: to - from + 1 }, (_, i) => from + i),
        )
      : null;
  // Awaited below; a failed getLogs must not leave it an unhandled rejection.
  everyHeader?.catch(() => undefined);
  const logs: RangeLog[] = [];
  if (addresses.length > 0) {
    const [answer] = await rpc.call([
      {
        method: "eth_getLogs",
        params: [{ address: addresses, fromBlock: toQuantity(from), toBlock: toQuantity(to) }],
      },
    ]);
    const raw = parseOrExplain(z.array(rpcLogSchema), answer, "eth_getLogs answer");
    for (const log of raw) {
      if (log.removed === true) continue;
      const parsed: RangeLog = {
        address: log.address,
        topics: log.topics,
        data: log.data,
        blockNumber: Number.parseInt(log.blockNumber, 16),
        blockHash: log.blockHash,
        logIndex: Number.parseInt(log.logIndex, 16),
        transactionHash: log.transactionHash,
        transactionIndex: Number.parseInt(log.transactionIndex, 16),
      };
      if (wanted(parsed)) logs.push(parsed);
    }
    logs.sort((a, b) =>
      a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber - b.blockNumber,
    );
  }
  const numbers = [...new Set([from, to, ...logs.map((log) => log.blockNumber)])];
  const answers =
    everyHeader === null
      ? await fetchHeaders(rpc, numbers)
      : await everyHeader.then((all) => numbers.map((n) => all[n - from]));
  const headers = new Map<number, RangeHeader>();
  numbers.forEach((number, i) => {
    const answer = answers[i];
    if (answer === null || answer === undefined) {
      throw new BlockMissingError(`block ${number} is not on the chain any more`);
    }
    const raw = parseOrExplain(rpcHeaderSchema, answer, `block ${number}`);
    if (Number.parseInt(raw.number, 16) !== number) {
      throw new Error(`the node answered block ${raw.number} for block ${number}`);
    }
    headers.set(number, { number, hash: raw.hash, parentHash: raw.parentHash, raw });
  });
  return { from, to, logs, headers };
}

/** The hashes of `numbers` on the chain now (null where the chain has no such block), one batch. */
export async function fetchBlockHashes(
  rpc: JsonRpcBatch,
  numbers: readonly number[],
): Promise<(Hex | null)[]> {
  const answers = await fetchHeaders(rpc, numbers);
  return answers.map((answer, i) => {
    if (answer === null || answer === undefined) return null;
    return parseOrExplain(z.object({ hash: hex }), answer, `block ${String(numbers[i])}`).hash;
  });
}
