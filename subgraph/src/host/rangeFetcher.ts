/**
 * Who fetches the indexer's block ranges. Over HTTP a worker thread does (`fetchRangeWorker.ts`):
 * it sends the requests and parses the answers (tens of MB of JSON for a busy range) while the main
 * thread runs handlers, so a range asked for ahead is ready when the handlers want it, instead of
 * its answers waiting in the socket until the handlers let go of the thread. Over any other
 * transport (an in-process chain, a WebSocket) the requests stay on the main thread, where the
 * client lives. Both run the same `fetchBlockRange` with the same log filter.
 */
import { Worker } from "node:worker_threads";
import type { Client, Hex } from "viem";
import {
  BlockMissingError,
  fetchBlockRange,
  type FetchedRange,
  type RangeLog,
} from "./fetchBlockRange.ts";
import {
  JsonRpcCallError,
  httpEndpointOf,
  jsonRpcBatchOf,
  type HttpEndpoint,
  type JsonRpcBatchOptions,
} from "./jsonRpcBatch.ts";

/** The logs the mappings handle, as plain data (it crosses to the worker). */
export interface LogFilter {
  sources: readonly { address: Hex; startBlock: number; topics: readonly Hex[] }[];
}

export interface RangeRequest {
  from: number;
  to: number;
  addresses: readonly Hex[];
  everyHeader: boolean;
}

export interface RangeFetcher {
  fetch(request: RangeRequest): Promise<FetchedRange>;
  /** Ends the worker, if any; pending fetches fail. */
  close(): Promise<void>;
  readonly thread: "worker" | "main";
}

/** The log predicate of a filter: a handled event of a data source, at or after its start block. */
export function wantedLogs(filter: LogFilter): (log: RangeLog) => boolean {
  const byAddress = new Map(
    filter.sources.map((s) => [
      s.address.toLowerCase(),
      { startBlock: s.startBlock, topics: new Set<string>(s.topics) },
    ]),
  );
  return (log) => {
    const source = byAddress.get(log.address.toLowerCase());
    const topic0 = log.topics[0];
    return (
      source !== undefined &&
      topic0 !== undefined &&
      log.blockNumber >= source.startBlock &&
      source.topics.has(topic0)
    );
  };
}

/** What the worker is started with (`workerData`). */
export interface RangeWorkerData {
  endpoint: HttpEndpoint;
  batch: JsonRpcBatchOptions;
  filter: LogFilter;
}

/** A request to the worker, and its answer. */
export interface RangeWorkerRequest extends RangeRequest {
  id: number;
}
export type RangeWorkerAnswer =
  | { ready: true }
  | { id: number; range: FetchedRange }
  | { id: number; error: { name: string; message: string; code?: number | undefined } };

/** The error a worker reported, as the class the indexer tells apart (a shorter chain, an RPC error). */
export function errorFromWorker(error: { name: string; message: string; code?: number }): Error {
  if (error.name === "BlockMissingError") return new BlockMissingError(error.message);
  if (error.name === "JsonRpcCallError") {
    const rebuilt = new JsonRpcCallError("", { code: error.code, message: "" });
    rebuilt.message = error.message;
    return rebuilt;
  }
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

const WORKER_FILE = new URL("./fetchRangeWorker.ts", import.meta.url);

/**
 * Fetches in a worker thread. The thread takes a few hundred ms to load its modules, so until it
 * says it is ready one range at a time is fetched by `meanwhile`, if given, instead (the first
 * range of a sync then waits for nothing else).
 */
class WorkerRangeFetcher implements RangeFetcher {
  readonly thread = "worker";
  readonly #data: RangeWorkerData;
  readonly #meanwhile: RangeFetcher | null;
  #ready = false;
  #fetchingMeanwhile = false;
  /** Fetches waiting for an answer, with the worker they were sent to. */
  readonly #pending = new Map<
    number,
    { worker: Worker; resolve: (range: FetchedRange) => void; reject: (error: Error) => void }
  >();
  #worker: Worker | null = null;
  #nextId = 0;

  constructor(data: RangeWorkerData, meanwhile: RangeFetcher | null) {
    this.#data = data;
    this.#meanwhile = meanwhile;
    this.#start();
  }

  #start(): Worker {
    this.#ready = false;
    const worker = new Worker(WORKER_FILE, { workerData: this.#data });
    worker.on("message", (answer: RangeWorkerAnswer) => {
      if ("ready" in answer) {
        this.#ready = true;
        return;
      }
      const pending = this.#pending.get(answer.id);
      if (pending === undefined) return;
      this.#settled(answer.id, worker);
      if ("range" in answer) pending.resolve(answer.range);
      else pending.reject(errorFromWorker(answer.error));
    });
    // Only this worker's fetches fail: after close() or a crash a new one may already be at work.
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = null;
      for (const [id, pending] of this.#pending) {
        if (pending.worker !== worker) continue;
        this.#pending.delete(id);
        pending.reject(error);
      }
    };
    worker.on("error", (error) => {
      fail(new Error(`the range fetch worker failed: ${error.message}`, { cause: error }));
    });
    worker.on("exit", (code) => {
      fail(new Error(`the range fetch worker exited (code ${String(code)})`));
    });
    // Idle, it must not keep the process alive; it is ref'd while a fetch waits on it. (After the
    // listeners: adding a message listener refs the worker's port again.)
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  #settled(id: number, worker: Worker): void {
    this.#pending.delete(id);
    for (const pending of this.#pending.values()) if (pending.worker === worker) return;
    worker.unref();
  }

  fetch(request: RangeRequest): Promise<FetchedRange> {
    if (this.#meanwhile !== null && !this.#ready && !this.#fetchingMeanwhile) {
      this.#fetchingMeanwhile = true;
      return this.#meanwhile.fetch(request).finally(() => {
        this.#fetchingMeanwhile = false;
      });
    }
    // A worker that died (its error already given to the fetches it held) is replaced.
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    return new Promise<FetchedRange>((resolve, reject) => {
      this.#pending.set(id, { worker, resolve, reject });
      worker.ref();
      const message: RangeWorkerRequest = { id, ...request };
      worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker !== null) await worker.terminate();
  }
}

/** Fetches on the main thread, through the client. */
function mainThreadRangeFetcher(
  client: Client,
  batch: JsonRpcBatchOptions,
  filter: LogFilter,
): RangeFetcher {
  const rpc = jsonRpcBatchOf(client, batch);
  const wanted = wantedLogs(filter);
  return {
    thread: "main",
    fetch: (request) => fetchBlockRange(rpc, request, wanted),
    close: () => Promise.resolve(),
  };
}

/** Where ranges are fetched: see `rangeFetcherFor`. */
export type FetchThread = "auto" | "main" | "worker";

/** `fetchThread: "worker"` with a client that has no HTTP endpoint a thread can use. */
export class NoWorkerTransportError extends Error {
  override name = "NoWorkerTransportError";
  constructor() {
    super(
      'fetchThread "worker" needs an HTTP transport whose fetch options can be copied to a thread; use "auto" or "main"',
    );
  }
}

/**
 * `auto`: a worker thread for an HTTP client whose settings can be copied to a thread (the first
 * range fetched here while the thread starts), else the main thread. `main`: the main thread.
 * `worker`: the worker thread only (an error without an HTTP endpoint).
 */
export function rangeFetcherFor(
  client: Client,
  batch: JsonRpcBatchOptions,
  filter: LogFilter,
  thread: FetchThread = "auto",
): RangeFetcher {
  const endpoint = thread === "main" ? null : httpEndpointOf(client, { forThread: true });
  if (endpoint === null) {
    if (thread === "worker") throw new NoWorkerTransportError();
    return mainThreadRangeFetcher(client, batch, filter);
  }
  return new WorkerRangeFetcher(
    { endpoint, batch, filter },
    thread === "auto" ? mainThreadRangeFetcher(client, batch, filter) : null,
  );
}
