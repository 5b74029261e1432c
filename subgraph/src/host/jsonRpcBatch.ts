/**
 * Sends many JSON-RPC calls with few round trips and hands back the node's raw results (no viem
 * formatting: the indexer wants the hex as the node sent it). Over an HTTP transport the calls go
 * as JSON-RPC batches (one POST per `batchSize` calls, a few POSTs at a time); over any other
 * EIP-1193 transport (an in-process chain, a WebSocket) they go as parallel `request`s, since
 * EIP-1193 has no batch.
 */
import type { Client } from "viem";

export interface RpcCall {
  method: string;
  params: readonly unknown[];
}

export interface JsonRpcBatch {
  /** The results in the order of `calls`; throws on the first JSON-RPC error. */
  call(calls: readonly RpcCall[]): Promise<unknown[]>;
  /** How the calls travel: `http-batch` or `eip1193`. */
  readonly mode: "http-batch" | "eip1193";
}

export interface JsonRpcBatchOptions {
  /** Calls per HTTP batch (providers cap batches, commonly at 100–1,000 calls). */
  batchSize?: number;
  /** Batches (HTTP) or requests (EIP-1193) in flight at once. */
  concurrency?: number;
}

/**
 * The node answered an HTTP error status. Only "too many requests" and "unavailable" are sent
 * again (after `Retry-After` or a backoff); any other would get the same answer again.
 */
export class HttpStatusError extends Error {
  override name = "HttpStatusError";
  readonly status: number;
  /** The wait the node asked for (`Retry-After`), if it did. */
  readonly retryAfterMs: number | undefined;
  constructor(status: number, body: string, retryAfterMs?: number) {
    super(`the node answered HTTP ${String(status)}: ${body.slice(0, 200)}`);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Rate limiting and overload: worth the same request again after a wait. */
const RETRIED_STATUSES = new Set([429, 503]);
/** Attempts at a batch a rate-limited or overloaded node keeps refusing, and the longest wait. */
const RATE_LIMITED_ATTEMPTS = 5;
const LONGEST_RETRY_WAIT_MS = 10_000;

/** `Retry-After` as milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMsOf(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** An answer that is not one to read (too large, not JSON): sending again would get the same. */
export class UnreadableAnswerError extends Error {
  override name = "UnreadableAnswerError";
}

/** A range's eth_getLogs answer can be tens of MB; an answer past this is refused, not buffered. */
const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

/** The body of `response` as JSON, refusing one longer than `maxBytes` before it is all in memory. */
async function readJsonCapped(response: Response, maxBytes: number): Promise<unknown> {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new UnreadableAnswerError(
      `the node's answer is ${String(declared)} bytes, over ${String(maxBytes)}`,
    );
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  if (response.body !== null) {
    for await (const chunk of response.body) {
      length += chunk.byteLength;
      if (length > maxBytes) {
        await response.body.cancel();
        throw new UnreadableAnswerError(`the node's answer is over ${String(maxBytes)} bytes`);
      }
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks, length).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A proxy's error page or a truncated answer: say what came instead of a JSON.parse position.
    throw new UnreadableAnswerError(
      `the node's answer is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
    );
  }
}

/** A JSON-RPC error answer to one call of a batch. */
export class JsonRpcCallError extends Error {
  override name = "JsonRpcCallError";
  readonly code: number | undefined;
  constructor(method: string, error: unknown) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    super(`${method}: ${typeof message === "string" ? message : "JSON-RPC error"}`);
    this.code = typeof code === "number" ? code : undefined;
  }
}

interface HttpTransportValue {
  type: string;
  url?: unknown;
  fetchOptions?: Omit<RequestInit, "body">;
  timeout?: number;
}

/** Runs `work` over `items` with at most `limit` in flight, results in input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * An abort signal for a request that may wait behind the indexer's own work: the indexer fetches
 * the next range while handlers run synchronously for seconds, and a plain timer would fire as soon
 * as they end, before the answer that arrived meanwhile is read. This one counts only the seconds
 * the event loop was free (a blocked loop misses interval ticks instead of catching up).
 */
function abortWhenIdle(timeoutMs: number): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const step = Math.min(1000, timeoutMs);
  let waited = 0;
  const timer = setInterval(() => {
    waited += step;
    if (waited >= timeoutMs) {
      clearInterval(timer);
      controller.abort();
    }
  }, step);
  return {
    signal: controller.signal,
    done: () => {
      clearInterval(timer);
    },
  };
}

/** Where an HTTP transport sends its requests. */
export interface HttpEndpoint {
  url: string;
  fetchOptions?: Omit<RequestInit, "body">;
  timeoutMs: number;
}

/**
 * The client's HTTP endpoint (null for any other transport). `forThread`: as plain data a worker
 * thread can be given (null when its fetch options cannot be copied to a thread).
 */
export function httpEndpointOf(
  client: Client,
  { forThread }: { forThread: boolean },
): HttpEndpoint | null {
  const transport = client.transport as HttpTransportValue;
  if (transport.type !== "http" || typeof transport.url !== "string") return null;
  const endpoint: HttpEndpoint = { url: transport.url, timeoutMs: transport.timeout ?? 30_000 };
  if (transport.fetchOptions !== undefined) {
    if (!forThread) endpoint.fetchOptions = transport.fetchOptions;
    else {
      try {
        // Headers and the like copy; a signal or a function does not.
        endpoint.fetchOptions = structuredClone(transport.fetchOptions);
      } catch {
        return null;
      }
    }
  }
  return endpoint;
}

/** JSON-RPC batches over HTTP to `endpoint` (see the file comment). */
export function httpJsonRpcBatch(
  endpoint: HttpEndpoint,
  options: JsonRpcBatchOptions = {},
): JsonRpcBatch {
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 4;
  const { timeoutMs } = endpoint;
  // Plain fetch rather than viem's HTTP client: the fetch worker then starts without loading viem
  // (a quarter of a second), and no error object is built per request in case it times out.
  const headers = new Headers(endpoint.fetchOptions?.headers);
  headers.set("content-type", "application/json");
  const post = async (body: unknown[], signal: AbortSignal): Promise<unknown> => {
    const response = await fetch(endpoint.url, {
      ...endpoint.fetchOptions,
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal,
    });
    if (!response.ok) {
      throw new HttpStatusError(
        response.status,
        await response.text(),
        retryAfterMsOf(response.headers.get("retry-after")),
      );
    }
    return readJsonCapped(response, MAX_RESPONSE_BYTES);
  };
  // The calls are reads, so a batch is sent again when the connection broke before an answer
  // (a node or proxy closing an idle keep-alive connection the request was just written to), and
  // after a wait when a provider rate-limits it (several ranges are fetched at once).
  const postWithRetry = async (body: unknown[], method: string): Promise<unknown> => {
    for (let attempt = 1; ; attempt++) {
      const idle = abortWhenIdle(timeoutMs);
      let waitMs = 0;
      try {
        return await post(body, idle.signal);
      } catch (error) {
        if (idle.signal.aborted) {
          throw new Error(
            `${method}: the node did not answer ${body.length} calls within ${timeoutMs / 1000} s`,
            { cause: error },
          );
        }
        if (error instanceof HttpStatusError) {
          if (!RETRIED_STATUSES.has(error.status) || attempt >= RATE_LIMITED_ATTEMPTS) throw error;
          waitMs = Math.min(error.retryAfterMs ?? 250 * 2 ** (attempt - 1), LONGEST_RETRY_WAIT_MS);
        } else if (attempt >= 3 || error instanceof UnreadableAnswerError) throw error;
      } finally {
        idle.done();
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  };
  return {
    mode: "http-batch",
    async call(calls) {
      const chunks: RpcCall[][] = [];
      for (let i = 0; i < calls.length; i += batchSize) chunks.push(calls.slice(i, i + batchSize));
      const answers = await mapLimited(chunks, concurrency, async (chunk) => {
        const body = chunk.map((c, id) => ({
          jsonrpc: "2.0",
          id,
          method: c.method,
          params: c.params,
        }));
        const response = await postWithRetry(body, chunk[0]?.method ?? "batch");
        if (!Array.isArray(response) || response.length !== chunk.length) {
          throw new Error(
            `${chunk[0]?.method ?? "batch"}: the node answered a batch of ${chunk.length} calls with ${Array.isArray(response) ? `${response.length} answers` : "no batch"} (does it support JSON-RPC batches?)`,
          );
        }
        const results = new Array<unknown>(chunk.length);
        for (const answer of response as { id?: unknown; result?: unknown; error?: unknown }[]) {
          const id = answer.id;
          if (typeof id !== "number" || id < 0 || id >= chunk.length) {
            throw new Error(`batch answer with an unknown id ${String(id)}`);
          }
          if (answer.error !== undefined && answer.error !== null) {
            throw new JsonRpcCallError(chunk[id]?.method ?? "?", answer.error);
          }
          results[id] = answer.result;
        }
        return results;
      });
      return answers.flat();
    },
  };
}

export function jsonRpcBatchOf(client: Client, options: JsonRpcBatchOptions = {}): JsonRpcBatch {
  const endpoint = httpEndpointOf(client, { forThread: false });
  if (endpoint !== null) return httpJsonRpcBatch(endpoint, options);
  const concurrency = options.concurrency ?? 32;
  return {
    mode: "eip1193",
    call(calls) {
      return mapLimited(calls, concurrency, (c) =>
        client.request({ method: c.method, params: c.params } as never),
      );
    },
  };
}
