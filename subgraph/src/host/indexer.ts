/**
 * The embedded indexer: follows a chain over JSON-RPC in block ranges (each range's logs and headers
 * in a few batched round trips, the next range fetched while this one's handlers run), runs the
 * compiled mappings on every log of the deployed contracts in (block, log index) order, keeps
 * entity versions in SQLite, detects reorgs by block hash and rolls entity changes back to the
 * common ancestor, resumes from the stored head, and stops with a recorded fatal error when a
 * handler fails (as graph-node does; a reorg that removes the failed block clears the failure).
 */
import type { Hex, PublicClient } from "viem";
import { readChainHead } from "../../../sdk/src/chain/readChainHead.ts";
import type { DeploymentEntry } from "../../../sdk/src/contracts/deploymentsSchema.ts";
import type { EntityData, EntityStore } from "../store/openEntityStore.ts";
import {
  DEFAULT_BUILD_DIR,
  readBuiltManifest,
  type BuiltDataSource,
  type EventHandlerSpec,
} from "./readBuiltManifest.ts";
import {
  HandlerError,
  MappingRuntime,
  type EntitySession,
  type LogLevel,
} from "./mappingRuntime.ts";
import { decodeEventArgs } from "./decodeEventArgs.ts";
import type { EventBlock } from "./ethereumEvent.ts";
import {
  BlockMissingError,
  fetchBlockHashes,
  type FetchedRange,
  type RangeHeader,
  type RangeLog,
} from "./fetchBlockRange.ts";
import { jsonRpcBatchOf, type JsonRpcBatch } from "./jsonRpcBatch.ts";
import { refuseUnsupportedFeatures } from "./manifestFeatures.ts";
import { rangeFetcherFor, type FetchThread, type RangeFetcher } from "./rangeFetcher.ts";

export interface IndexerOptions {
  client: PublicClient;
  store: EntityStore;
  /** `deployments/<chainId>.json` entries: each data source's address and start block. */
  deployments: Readonly<Partial<Record<string, DeploymentEntry>>>;
  /** graph-node network name, as the manifest has it (dataSource.network()). */
  network: string;
  /** Subgraph name / deployment id recorded in `_meta`. */
  deployment?: string;
  buildDir?: string;
  /**
   * Blocks per eth_getLogs request at most. A catch-up starts with ranges of FIRST_RANGE_BLOCKS and
   * doubles them up to this, so the handlers start after one short round trip.
   */
  blockRange?: number;
  /**
   * Where ranges are fetched: `auto` (a worker thread over HTTP, else the main thread), `main`, or
   * `worker` (the worker thread only; an error without an HTTP transport). See rangeFetcher.ts.
   */
  fetchThread?: FetchThread;
  /**
   * Calls per JSON-RPC batch over HTTP (block headers); lower it for a provider that caps batches
   * below the default of 100.
   */
  rpcBatchSize?: number;
  /** Blocks behind the head to stay (0 on a local chain). */
  confirmations?: number;
  /** Blocks of hashes kept for reorg detection; a deeper reorg fails the subgraph. */
  reorgWindow?: number;
  pollIntervalMs?: number;
  log?: (level: LogLevel, message: string, dataSource: string) => void;
}

export interface FatalError {
  block: { number: number; hash: string };
  message: string;
  handler: string;
  /** Handler errors are deterministic (graph-node's `fatalError.deterministic`). */
  deterministic: boolean;
}

export interface SyncResult {
  head: number | null;
  /** Logs handled in this call. */
  events: number;
  /** Blocks rolled back (0 without a reorg). */
  revertedBlocks: number;
  failed: FatalError | null;
}

interface Source {
  dataSource: BuiltDataSource;
  address: Hex;
  startBlock: number;
}

/** A range as fetched, its logs grouped by block. */
interface PreparedRange extends FetchedRange {
  blocks: {
    number: number;
    logs: RangeLog[];
    /** What every event of the block carries, made once per block (newEthereumEvent caches by it). */
    eventBlock: EventBlock;
  }[];
}

/** The longest range whose headers are all asked for with its logs (see `#denseRanges`). */
const EVERY_HEADER_MAX_BLOCKS = 2000;
/** The first range of a catch-up, in blocks; each next one is twice as long, up to `blockRange`. */
const FIRST_RANGE_BLOCKS = 16;
/**
 * Ranges asked for at once: the one the handlers are on and those after it, so the fetcher (a
 * worker over HTTP) always has the next ones coming. Bounds what waits in memory.
 */
const RANGES_IN_FLIGHT = 4;

const batchOptionsOf = (options: IndexerOptions) =>
  options.rpcBatchSize === undefined ? {} : { batchSize: options.rpcBatchSize };

/** The chain changed under a range being fetched: fetch again. */
class ChainMovedError extends Error {
  override name = "ChainMovedError";
}

/** Entity changes of one block, applied to the store when the block ends. */
class BlockSession implements EntitySession {
  readonly #store: EntityStore;
  readonly #pending = new Map<string, { type: string; id: string; data: EntityData | null }>();

  constructor(store: EntityStore) {
    this.#store = store;
  }

  get(type: string, id: string): EntityData | null {
    const pending = this.#pending.get(`${type}\u0000${id}`);
    if (pending !== undefined) return pending.data;
    return this.#store.get(type, id);
  }

  getInBlock(type: string, id: string): EntityData | null {
    return this.#pending.get(`${type}\u0000${id}`)?.data ?? null;
  }

  set(type: string, id: string, data: EntityData): void {
    this.#pending.set(`${type}\u0000${id}`, { type, id, data });
  }

  remove(type: string, id: string): void {
    this.#pending.set(`${type}\u0000${id}`, { type, id, data: null });
  }

  flush(block: number): void {
    const idsByType = new Map<string, string[]>();
    for (const { type, id } of this.#pending.values()) {
      const ids = idsByType.get(type);
      if (ids === undefined) idsByType.set(type, [id]);
      else ids.push(id);
    }
    for (const [type, ids] of idsByType) this.#store.prefetch(type, ids);
    for (const { type, id, data } of this.#pending.values()) {
      if (data === null) this.#store.remove(type, id, block);
      else this.#store.set(type, id, data, block);
    }
    this.#pending.clear();
  }
}

export class Indexer {
  readonly #options: Required<
    Omit<IndexerOptions, "log" | "buildDir" | "rpcBatchSize" | "fetchThread">
  > &
    Pick<IndexerOptions, "log">;
  readonly #runtime: MappingRuntime;
  readonly #sources: Source[];
  readonly #byAddress: Map<string, Source>;
  readonly #rpc: JsonRpcBatch;
  readonly #fetcher: RangeFetcher;
  /**
   * Whether most blocks of the last fetched range had logs: then the next range asks for every
   * header along with its logs (one round trip less). True before the first range, so the first
   * range of a catch-up (which no handler work overlaps) is never two round trips.
   */
  #denseRanges = true;
  #running: Promise<void> | null = null;
  #stopRequested = false;
  #wake: (() => void) | null = null;

  private constructor(
    options: IndexerOptions,
    runtime: MappingRuntime,
    sources: Source[],
    fetcher: RangeFetcher,
  ) {
    this.#options = {
      deployment: "energy-intelligence",
      blockRange: 2000,
      confirmations: 0,
      reorgWindow: 256,
      pollIntervalMs: 1000,
      ...options,
    };
    this.#runtime = runtime;
    this.#sources = sources;
    this.#byAddress = new Map(sources.map((s) => [s.address.toLowerCase(), s]));
    this.#rpc = jsonRpcBatchOf(options.client, batchOptionsOf(options));
    this.#fetcher = fetcher;
  }

  /** Where this indexer fetches its ranges (see `IndexerOptions.fetchThread`). */
  get fetchThread(): "worker" | "main" {
    return this.#fetcher.thread;
  }

  /** Loads the built mappings and binds each data source to its deployed address. */
  static async create(options: IndexerOptions): Promise<Indexer> {
    const buildDir = options.buildDir ?? DEFAULT_BUILD_DIR;
    await refuseUnsupportedFeatures(buildDir);
    const built = await readBuiltManifest(buildDir);
    const runtime = new MappingRuntime({
      schema: options.store.schema,
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const sources = built.map((dataSource): Source => {
      const entry = options.deployments[dataSource.name];
      if (entry === undefined)
        throw new Error(`deployments have no ${dataSource.name} (a data source of the subgraph)`);
      return { dataSource, address: entry.address, startBlock: entry.startBlock };
    });
    // Started before the mappings load, so a fetch worker boots while they compile.
    const fetcher = rangeFetcherFor(
      options.client,
      batchOptionsOf(options),
      {
        sources: sources.map((s) => ({
          address: s.address,
          startBlock: s.startBlock,
          topics: [...s.dataSource.handlers.keys()],
        })),
      },
      options.fetchThread ?? "auto",
    );
    try {
      for (const { dataSource } of sources) {
        await runtime.load(dataSource.name, dataSource.wasmFile);
        for (const spec of dataSource.handlers.values()) {
          if (!runtime.hasHandler(dataSource.name, spec.handler)) {
            throw new Error(`${dataSource.name}: the wasm does not export ${spec.handler}`);
          }
        }
      }
      const indexer = new Indexer(options, runtime, sources, fetcher);
      indexer.#initMeta();
      return indexer;
    } catch (error) {
      await fetcher.close();
      throw error;
    }
  }

  #initMeta(): void {
    const { store } = this.#options;
    const startBlock = Math.min(...this.#sources.map((s) => s.startBlock));
    store.transaction(() => {
      store.setMeta("deployment", this.#options.deployment);
      store.setMeta("network", this.#options.network);
      store.setMeta("start_block", String(startBlock));
      if (store.getMeta("has_indexing_errors") === null)
        store.setMeta("has_indexing_errors", "false");
    });
  }

  get startBlock(): number {
    return Number(this.#options.store.getMeta("start_block"));
  }

  /** The last fully indexed block, or null before the first. */
  head(): { number: number; hash: string } | null {
    const { store } = this.#options;
    const number = store.getMeta("head_block_number");
    const hash = store.getMeta("head_block_hash");
    return number === null || hash === null ? null : { number: Number(number), hash };
  }

  fatalError(): FatalError | null {
    const text = this.#options.store.getMeta("fatal_error");
    if (text === null) return null;
    // Records written before `deterministic` was stored were all handler errors.
    return { deterministic: true, ...(JSON.parse(text) as Omit<FatalError, "deterministic">) };
  }

  /** Indexes up to the chain head (less confirmations) once; handles a reorg first if there is one. */
  async syncOnce(): Promise<SyncResult> {
    const result: SyncResult = {
      head: this.head()?.number ?? null,
      events: 0,
      revertedBlocks: 0,
      failed: this.fatalError(),
    };
    if (result.failed !== null) {
      if (!(await this.#failedBlockReorged(result.failed))) return result;
      result.failed = null;
    }
    for (let attempt = 0; ; attempt++) {
      // The ranges asked for, in order from the next block to index; dropped on any change of plan.
      const planned: { from: number; to: number; fetching: Promise<PreparedRange> }[] = [];
      let blocks = FIRST_RANGE_BLOCKS;
      try {
        result.revertedBlocks += await this.#checkReorg();
        const latest = Number(await readChainHead(this.#options.client));
        const target = latest - this.#options.confirmations;
        for (;;) {
          const head = this.head();
          const from = head === null ? this.startBlock : head.number + 1;
          if (from > target) {
            this.#markSynced();
            break;
          }
          if (this.#stopping()) break;
          if (planned[0]?.from !== from) planned.length = 0;
          while (planned.length < RANGES_IN_FLIGHT) {
            const last = planned.at(-1)?.to ?? from - 1;
            if (last >= target) break;
            const to = Math.min(last + Math.min(blocks, this.#options.blockRange), target);
            blocks *= 2;
            const fetching = this.#fetchRange(last + 1, to);
            // Awaited (and its error thrown) only if it is used; never an unhandled rejection.
            fetching.catch(() => undefined);
            planned.push({ from: last + 1, to, fetching });
          }
          const current = planned.shift();
          if (current === undefined) break;
          if (this.#fetcher.thread === "main" && planned.length > 0) {
            // One turn of the event loop, so the requests are on the wire before the handlers hold
            // the thread (else they wait behind them, and the node with them).
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
          const range = await current.fetching;
          const applied = this.#applyRange(range, head);
          result.events += applied.events;
          result.head = this.head()?.number ?? null;
          if (applied.failed !== null) {
            result.failed = applied.failed;
            return result;
          }
        }
        return result;
      } catch (error) {
        // The chain reorganised while a range was fetched: check the head again and refetch.
        const moved = error instanceof ChainMovedError || error instanceof BlockMissingError;
        if (moved && attempt < 5) continue;
        throw error;
      }
    }
  }

  /**
   * graph-node un-fails a deployment when a revert removes the block its error is at (its store
   * deletes the errors at reverted blocks and sets the health back): a reorg may have replaced the
   * transaction that failed. Here: the failed block's hash is no longer the chain's at that number,
   * so the failure is cleared and syncOnce indexes the new branch (rolling back first if the
   * reorg reached stored blocks).
   */
  async #failedBlockReorged(failed: FatalError): Promise<boolean> {
    const [onChain] = await fetchBlockHashes(this.#rpc, [failed.block.number]);
    if (onChain === failed.block.hash) return false;
    const { store } = this.#options;
    store.transaction(() => {
      store.setMeta("fatal_error", null);
      store.setMeta("has_indexing_errors", "false");
    });
    this.#options.log?.(
      "info",
      `block ${failed.block.number} (${failed.block.hash}) where the subgraph failed is no longer on the chain: the failure is cleared and the new branch indexed`,
      "indexer",
    );
    return true;
  }

  /** graph-node's `synced`: set once the head was reached, never reset (one write, once). */
  #markSynced(): void {
    const { store } = this.#options;
    if (store.getMeta("synced") !== "true") store.setMeta("synced", "true");
  }

  /** Rolls back to the newest stored block still on the chain when the stored head is not. */
  async #checkReorg(): Promise<number> {
    const head = this.head();
    if (head === null) return 0;
    const { store } = this.#options;
    const [onChain] = await fetchBlockHashes(this.#rpc, [head.number]);
    if (onChain === head.hash) return 0;
    const stored = store.db
      .prepare<[number], { number: number; hash: string }>(
        "SELECT number, hash FROM _blocks WHERE number <= ? ORDER BY number DESC",
      )
      .all(head.number);
    // Every stored hash (at most the reorg window's) against the chain's, in one batch.
    const chain = await fetchBlockHashes(
      this.#rpc,
      stored.map((b) => b.number),
    );
    const ancestor = stored.find((block, i) => chain[i] === block.hash);
    if (ancestor !== undefined) {
      store.transaction(() => {
        store.revertTo(ancestor.number);
        store.setMeta("head_block_number", String(ancestor.number));
        store.setMeta("head_block_hash", ancestor.hash);
      });
      return head.number - ancestor.number;
    }
    // Every stored hash is off the chain: before the start block nothing was indexed, so start over.
    const start = this.startBlock;
    store.transaction(() => {
      store.revertTo(start - 1);
      store.setMeta("head_block_number", null);
      store.setMeta("head_block_hash", null);
    });
    return head.number - start + 1;
  }

  /** Reads a range's logs and headers (nothing is written: a dropped fetch leaves no trace). */
  async #fetchRange(from: number, to: number): Promise<PreparedRange> {
    const active = this.#sources.filter((s) => s.startBlock <= to).map((s) => s.address);
    const fetched = await this.#fetcher.fetch({
      from,
      to,
      addresses: active,
      // Capped: on a sparse chain the first range's extra headers are a few batches, never more.
      everyHeader: this.#denseRanges && to - from < EVERY_HEADER_MAX_BLOCKS,
    });
    this.#denseRanges = fetched.headers.size * 2 >= to - from + 1;
    const blocks: PreparedRange["blocks"] = [];
    let current: PreparedRange["blocks"][number] | undefined;
    for (const log of fetched.logs) {
      if (current?.number !== log.blockNumber) {
        const header = fetched.headers.get(log.blockNumber);
        if (header === undefined) throw new Error(`header of block ${log.blockNumber} missing`);
        current = { number: log.blockNumber, logs: [], eventBlock: eventBlockOf(header) };
        blocks.push(current);
      }
      current.logs.push(log);
    }
    return { ...fetched, blocks };
  }

  /**
   * Checks a fetched range against the stored head (the range must extend it, and every log must
   * be from the block the headers say), then runs its handlers and commits it in one transaction.
   */
  #applyRange(
    range: PreparedRange,
    head: { number: number; hash: string } | null,
  ): { events: number; failed: FatalError | null } {
    const { store } = this.#options;
    const { from, to, logs, headers } = range;
    const first = headers.get(from);
    if (head !== null && first !== undefined && first.parentHash !== head.hash) {
      throw new ChainMovedError(`block ${from} does not extend the stored head ${head.number}`);
    }
    for (const log of logs) {
      if (headers.get(log.blockNumber)?.hash !== log.blockHash) {
        throw new ChainMovedError(`log of block ${log.blockNumber} is from another fork`);
      }
    }

    let events = 0;
    let failed: FatalError | null = null;
    store.transaction(() => {
      // The head moves once per range (it commits as one); only a failure leaves it mid-range, at
      // the last block whose handlers all ran.
      let lastDone: RangeHeader | null = null;
      for (const { number: blockNumber, logs: blockLogs, eventBlock } of range.blocks) {
        const header = headers.get(blockNumber);
        if (header === undefined) throw new Error(`header of block ${blockNumber} missing`);
        const session = new BlockSession(store);
        let txLogIndex = 0;
        let lastTx: string | null = null;
        for (const log of blockLogs) {
          txLogIndex = log.transactionHash === lastTx ? txLogIndex + 1 : 0;
          lastTx = log.transactionHash;
          try {
            this.#handle(log, eventBlock, session, txLogIndex);
          } catch (error) {
            if (!(error instanceof HandlerError)) throw error;
            failed = {
              block: { number: blockNumber, hash: header.hash },
              message: error.message,
              handler: error.handler,
              deterministic: true,
            };
            // The failing block's changes are dropped; what came before it stays.
            store.setMeta("fatal_error", JSON.stringify(failed));
            store.setMeta("has_indexing_errors", "true");
            if (lastDone !== null) {
              store.setMeta("head_block_number", String(lastDone.number));
              store.setMeta("head_block_hash", lastDone.hash);
            }
            return;
          }
          events++;
        }
        session.flush(blockNumber);
        store.recordBlock(blockRecordOf(header));
        lastDone = header;
      }
      for (const number of [from, to]) {
        const header = headers.get(number);
        if (header !== undefined) store.recordBlock(blockRecordOf(header));
      }
      const last = headers.get(to);
      if (last !== undefined) {
        store.setMeta("head_block_number", String(to));
        store.setMeta("head_block_hash", last.hash);
      }
      store.pruneBlocks(to - this.#options.reorgWindow);
    });
    return { events, failed };
  }

  /** The log's data source and handler (the fetcher kept only handled logs: `wantedLogs`). */
  #specOf(log: RangeLog): { source: Source; spec: EventHandlerSpec } | null {
    const source = this.#byAddress.get(log.address.toLowerCase());
    const topic0 = log.topics[0];
    if (source === undefined || topic0 === undefined) return null;
    const spec = source.dataSource.handlers.get(topic0);
    return spec === undefined ? null : { source, spec };
  }

  #handle(
    log: RangeLog,
    block: EventBlock,
    session: EntitySession,
    transactionLogIndex: number,
  ): void {
    const found = this.#specOf(log);
    if (found === null) return;
    const { source, spec } = found;
    const args = decodeEventArgs(spec.event.inputs, log.topics, log.data, "host");
    this.#runtime.run({
      dataSource: {
        name: source.dataSource.name,
        address: source.address,
        network: this.#options.network,
      },
      handler: spec.handler,
      session,
      event: {
        address: log.address,
        logIndex: BigInt(log.logIndex),
        transactionLogIndex: BigInt(transactionLogIndex),
        inputs: spec.event.inputs,
        args,
        block,
        transaction: { hash: log.transactionHash, index: BigInt(log.transactionIndex) },
      },
    });
  }

  /** Follows the chain until stop(): sync, wait pollIntervalMs (or a wake()), repeat. */
  start(
    onError: (error: unknown) => void = (error) => {
      console.error(error);
    },
  ): void {
    if (this.#running !== null) return;
    this.#stopRequested = false;
    this.#running = (async () => {
      while (!this.#stopRequested) {
        try {
          const result = await this.syncOnce();
          if (result.failed !== null) break;
        } catch (error) {
          onError(error);
        }
        if (this.#stopping()) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.#options.pollIntervalMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
      }
    })();
  }

  // A method, not the field, so the check after an await is not narrowed away by the loop condition.
  #stopping(): boolean {
    return this.#stopRequested;
  }

  /** Polls now instead of at the next interval. */
  wake(): void {
    this.#wake?.();
  }

  /** Stops following the chain and ends the fetch worker (a later sync starts another). */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#wake?.();
    await this.#running;
    this.#running = null;
    await this.#fetcher.close();
  }
}

const optionalBigInt = (hex: string | null | undefined): bigint | undefined =>
  hex === null || hex === undefined ? undefined : BigInt(hex);

/** The block fields an `ethereum.Event` carries, from the node's header (absent fields are zero). */
function eventBlockOf(header: RangeHeader): EventBlock {
  const raw = header.raw;
  const block: EventBlock = {
    hash: header.hash,
    parentHash: header.parentHash,
    number: BigInt(header.number),
    timestamp: BigInt(raw.timestamp),
    totalDifficulty: optionalBigInt(raw.totalDifficulty) ?? 0n,
  };
  if (raw.sha3Uncles !== undefined) block.unclesHash = raw.sha3Uncles;
  if (raw.miner !== undefined) block.author = raw.miner;
  if (raw.stateRoot !== undefined) block.stateRoot = raw.stateRoot;
  if (raw.transactionsRoot !== undefined) block.transactionsRoot = raw.transactionsRoot;
  if (raw.receiptsRoot !== undefined) block.receiptsRoot = raw.receiptsRoot;
  const gasUsed = optionalBigInt(raw.gasUsed);
  if (gasUsed !== undefined) block.gasUsed = gasUsed;
  const gasLimit = optionalBigInt(raw.gasLimit);
  if (gasLimit !== undefined) block.gasLimit = gasLimit;
  const difficulty = optionalBigInt(raw.difficulty);
  if (difficulty !== undefined) block.difficulty = difficulty;
  const size = optionalBigInt(raw.size);
  if (size !== undefined) block.size = size;
  const baseFeePerGas = optionalBigInt(raw.baseFeePerGas);
  if (baseFeePerGas !== undefined) block.baseFeePerGas = baseFeePerGas;
  return block;
}

function blockRecordOf(header: RangeHeader) {
  return {
    number: header.number,
    hash: header.hash,
    parentHash: header.parentHash,
    timestamp: Number.parseInt(header.raw.timestamp, 16),
  };
}
