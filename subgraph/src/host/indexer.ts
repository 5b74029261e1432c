/**
 * The embedded indexer: follows a chain through viem in block ranges, runs the compiled mappings on
 * every log of the deployed contracts in (block, log index) order, keeps entity versions in SQLite,
 * detects reorgs by block hash and rolls entity changes back to the common ancestor, resumes from
 * the stored head, and stops with a recorded fatal error when a handler fails (as graph-node does).
 */
import type { Block, Hex, Log, PublicClient } from "viem";
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
  /** Blocks per eth_getLogs request. */
  blockRange?: number;
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

interface Header {
  number: number;
  hash: Hex;
  parentHash: Hex;
  block: Block;
  /** What every event of the block carries, made once per block (newEthereumEvent caches by it). */
  eventBlock: EventBlock;
}

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
  readonly #options: Required<Omit<IndexerOptions, "log" | "buildDir">> &
    Pick<IndexerOptions, "log">;
  readonly #runtime: MappingRuntime;
  readonly #sources: Source[];
  readonly #byAddress: Map<string, Source>;
  #running: Promise<void> | null = null;
  #stopRequested = false;
  #wake: (() => void) | null = null;

  private constructor(options: IndexerOptions, runtime: MappingRuntime, sources: Source[]) {
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
  }

  /** Loads the built mappings and binds each data source to its deployed address. */
  static async create(options: IndexerOptions): Promise<Indexer> {
    const built = await readBuiltManifest(options.buildDir ?? DEFAULT_BUILD_DIR);
    const runtime = new MappingRuntime({
      schema: options.store.schema,
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const sources: Source[] = [];
    for (const dataSource of built) {
      const entry = options.deployments[dataSource.name];
      if (entry === undefined)
        throw new Error(`deployments have no ${dataSource.name} (a data source of the subgraph)`);
      await runtime.load(dataSource.name, dataSource.wasmFile);
      for (const spec of dataSource.handlers.values()) {
        if (!runtime.hasHandler(dataSource.name, spec.handler)) {
          throw new Error(`${dataSource.name}: the wasm does not export ${spec.handler}`);
        }
      }
      sources.push({ dataSource, address: entry.address, startBlock: entry.startBlock });
    }
    const indexer = new Indexer(options, runtime, sources);
    indexer.#initMeta();
    return indexer;
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
    if (result.failed !== null) return result;
    for (let attempt = 0; ; attempt++) {
      try {
        result.revertedBlocks += await this.#checkReorg();
        const latest = Number(await this.#options.client.getBlockNumber({ cacheTime: 0 }));
        const target = latest - this.#options.confirmations;
        for (;;) {
          const head = this.head();
          const from = head === null ? this.startBlock : head.number + 1;
          if (from > target) {
            this.#markSynced();
            break;
          }
          if (this.#stopRequested) break;
          const to = Math.min(from + this.#options.blockRange - 1, target);
          const range = await this.#processRange(from, to, head);
          result.events += range.events;
          result.head = this.head()?.number ?? null;
          if (range.failed !== null) {
            result.failed = range.failed;
            return result;
          }
        }
        return result;
      } catch (error) {
        // The chain reorganised while a range was fetched: check the head again and refetch.
        if (error instanceof ChainMovedError && attempt < 5) continue;
        throw error;
      }
    }
  }

  /** graph-node's `synced`: set once the head was reached, never reset (one write, once). */
  #markSynced(): void {
    const { store } = this.#options;
    if (store.getMeta("synced") !== "true") store.setMeta("synced", "true");
  }

  async #header(number: number): Promise<Header> {
    const block = await this.#options.client.getBlock({ blockNumber: BigInt(number) });
    const eventBlock: EventBlock = {
      hash: block.hash,
      parentHash: block.parentHash,
      number: BigInt(number),
      timestamp: block.timestamp,
      unclesHash: block.sha3Uncles,
      author: block.miner,
      stateRoot: block.stateRoot,
      transactionsRoot: block.transactionsRoot,
      receiptsRoot: block.receiptsRoot,
      gasUsed: block.gasUsed,
      gasLimit: block.gasLimit,
      difficulty: block.difficulty,
      totalDifficulty: block.totalDifficulty ?? 0n,
      size: block.size,
      ...(block.baseFeePerGas === null ? {} : { baseFeePerGas: block.baseFeePerGas }),
    };
    return { number, hash: block.hash, parentHash: block.parentHash, block, eventBlock };
  }

  /** Rolls back to the newest stored block still on the chain when the stored head is not. */
  async #checkReorg(): Promise<number> {
    const head = this.head();
    if (head === null) return 0;
    const { store } = this.#options;
    const onChain = await this.#chainHash(head.number);
    if (onChain === head.hash) return 0;
    const stored = store.db
      .prepare<[number], { number: number; hash: string }>(
        "SELECT number, hash FROM _blocks WHERE number <= ? ORDER BY number DESC",
      )
      .all(head.number);
    for (const block of stored) {
      if ((await this.#chainHash(block.number)) === block.hash) {
        store.transaction(() => {
          store.revertTo(block.number);
          store.setMeta("head_block_number", String(block.number));
          store.setMeta("head_block_hash", block.hash);
        });
        return head.number - block.number;
      }
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

  async #chainHash(number: number): Promise<string | null> {
    try {
      return (await this.#options.client.getBlock({ blockNumber: BigInt(number) })).hash;
    } catch {
      // The block is gone (the chain is now shorter than our head).
      return null;
    }
  }

  async #fetchHeaders(numbers: readonly number[]): Promise<Map<number, Header>> {
    const headers = new Map<number, Header>();
    const unique = [...new Set(numbers)];
    const concurrency = 16;
    for (let i = 0; i < unique.length; i += concurrency) {
      const batch = await Promise.all(unique.slice(i, i + concurrency).map((n) => this.#header(n)));
      for (const header of batch) headers.set(header.number, header);
    }
    return headers;
  }

  async #processRange(
    from: number,
    to: number,
    head: { number: number; hash: string } | null,
  ): Promise<{ events: number; failed: FatalError | null }> {
    const { client, store } = this.#options;
    const active = this.#sources.filter((s) => s.startBlock <= to);
    const logs =
      active.length === 0
        ? []
        : await client.getLogs({
            address: active.map((s) => s.address),
            fromBlock: BigInt(from),
            toBlock: BigInt(to),
          });
    const wanted = logs.filter((log) => this.#specOf(log) !== null);
    const headers = await this.#fetchHeaders([
      from,
      to,
      ...wanted.map((log) => Number(log.blockNumber)),
    ]);
    const first = headers.get(from);
    if (head !== null && first !== undefined && first.parentHash !== head.hash) {
      throw new ChainMovedError(`block ${from} does not extend the stored head ${head.number}`);
    }
    for (const log of wanted) {
      if (headers.get(Number(log.blockNumber))?.hash !== log.blockHash) {
        throw new ChainMovedError(`log of block ${log.blockNumber} is from another fork`);
      }
    }
    wanted.sort((a, b) =>
      a.blockNumber === b.blockNumber
        ? a.logIndex - b.logIndex
        : Number(a.blockNumber - b.blockNumber),
    );

    let events = 0;
    let failed: FatalError | null = null;
    store.transaction(() => {
      let index = 0;
      while (index < wanted.length) {
        const blockNumber = Number(wanted[index]?.blockNumber);
        const header = headers.get(blockNumber);
        if (header === undefined) throw new Error(`header of block ${blockNumber} missing`);
        const session = new BlockSession(store);
        let txLogIndex = 0;
        let lastTx: string | null = null;
        for (
          ;
          index < wanted.length && Number(wanted[index]?.blockNumber) === blockNumber;
          index++
        ) {
          const log = wanted[index] as Log<bigint, number, false>;
          txLogIndex = log.transactionHash === lastTx ? txLogIndex + 1 : 0;
          lastTx = log.transactionHash;
          try {
            this.#handle(log, header, session, txLogIndex);
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
            return;
          }
          events++;
        }
        session.flush(blockNumber);
        store.recordBlock({
          number: blockNumber,
          hash: header.hash,
          parentHash: header.parentHash,
          timestamp: Number(header.block.timestamp),
        });
        store.setMeta("head_block_number", String(blockNumber));
        store.setMeta("head_block_hash", header.hash);
      }
      for (const number of [from, to]) {
        const header = headers.get(number);
        if (header !== undefined)
          store.recordBlock({
            number,
            hash: header.hash,
            parentHash: header.parentHash,
            timestamp: Number(header.block.timestamp),
          });
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

  #specOf(log: Log): { source: Source; spec: EventHandlerSpec } | null {
    const source = this.#byAddress.get(log.address.toLowerCase());
    const topic0 = log.topics[0];
    if (source === undefined || topic0 === undefined) return null;
    if (log.blockNumber === null || Number(log.blockNumber) < source.startBlock) return null;
    const spec = source.dataSource.handlers.get(topic0);
    return spec === undefined ? null : { source, spec };
  }

  #handle(
    log: Log<bigint, number, false>,
    header: Header,
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
        block: header.eventBlock,
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

  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#wake?.();
    await this.#running;
    this.#running = null;
  }
}
