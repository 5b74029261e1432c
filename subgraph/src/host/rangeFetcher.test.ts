/**
 * The range fetcher's worker thread against an in-process chain served over HTTP: what crosses
 * back is what the main thread would have got (a missing block is a BlockMissingError, a node's
 * HTTP error is named; only rate limiting is waited out and retried), a worker ended under a fetch fails it and the next fetch
 * starts a new one, and the log filter keeps only handled events of a source from its start block.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { network } from "hardhat";
import { createPublicClient, custom, http, type Hex } from "viem";
import { BlockMissingError, type RangeLog } from "./fetchBlockRange.ts";
import { retryAfterMsOf } from "./jsonRpcBatch.ts";
import { NoWorkerTransportError, rangeFetcherFor, wantedLogs } from "./rangeFetcher.ts";
import { serveChainOverHttp } from "./testing/serveChainOverHttp.ts";
import { startJsonRpcProxy, type HttpRefusal } from "./testing/startJsonRpcProxy.ts";

const connection = await network.create();
const node = await serveChainOverHttp(connection.provider);
after(async () => {
  await node.close();
  await connection.close();
});
const client = createPublicClient({ transport: http(node.url) });
const noFilter = { sources: [] };

/** `use` gets a proxy in front of the chain that refuses the POSTs `refusal` says. */
async function withRefusingNode(
  refusal: (post: number) => HttpRefusal | null,
  use: (url: string, posts: () => number) => Promise<void>,
): Promise<void> {
  const proxy = await startJsonRpcProxy(node.url, refusal);
  try {
    await use(proxy.url, proxy.posts);
  } finally {
    await proxy.close();
  }
}

/** A worker fetch through a node answering every POST with `refusal` fails as `expected`, after one POST. */
async function assertRefusedOnce(
  refusal: HttpRefusal,
  expected: RegExp | ((error: unknown) => boolean),
): Promise<void> {
  await withRefusingNode(
    () => refusal,
    async (url, posts) => {
      const fetcher = rangeFetcherFor(
        createPublicClient({ transport: http(url) }),
        {},
        noFilter,
        "worker",
      );
      try {
        await assert.rejects(
          fetcher.fetch({ from: 1, to: 1, addresses: [], everyHeader: false }),
          expected,
        );
        assert.equal(posts(), 1);
      } finally {
        await fetcher.close();
      }
    },
  );
}

async function headNumber(): Promise<number> {
  return Number(await client.getBlockNumber());
}

describe("rangeFetcherFor", () => {
  it("fetches in the worker what the main thread fetches, and a block the node lacks is a BlockMissingError", async () => {
    await connection.provider.request({ method: "hardhat_mine", params: ["0x5"] });
    const head = await headNumber();
    const worker = rangeFetcherFor(client, {}, noFilter, "worker");
    const main = rangeFetcherFor(client, {}, noFilter, "main");
    try {
      assert.equal(worker.thread, "worker");
      assert.equal(main.thread, "main");
      const request = { from: head - 4, to: head, addresses: [], everyHeader: true };
      const fromWorker = await worker.fetch(request);
      assert.deepEqual(fromWorker, await main.fetch(request));
      assert.equal(fromWorker.headers.get(head)?.hash, (await client.getBlock()).hash);
      await assert.rejects(
        worker.fetch({ from: head + 1, to: head + 3, addresses: [], everyHeader: false }),
        (error: unknown) =>
          error instanceof BlockMissingError && /block \d+ is not on the chain/.test(error.message),
      );
    } finally {
      await worker.close();
    }
  });

  it("names an answer that is not JSON (a proxy's page) and does not send the request again", async () => {
    await assertRefusedOnce(
      { status: 200, body: "<html>gateway says hello</html>" },
      /the node's answer is not JSON: "<html>gateway says hello<\/html>"/,
    );
  });

  it("names a node's HTTP error status and does not send the request again", async () => {
    await assertRefusedOnce(
      { status: 400, body: "bad request" },
      (error: unknown) =>
        error instanceof Error &&
        error.name === "HttpStatusError" &&
        error.message.includes("HTTP 400: bad request"),
    );
  });

  it("waits as a rate-limiting node asks and sends again, and names the status when it keeps refusing", async () => {
    // Twice "429, retry after 0 s", then the chain's answers.
    await withRefusingNode(
      (post) => (post <= 2 ? { status: 429, body: "slow down", retryAfter: "0" } : null),
      async (url, posts) => {
        const head = await headNumber();
        const fetcher = rangeFetcherFor(
          createPublicClient({ transport: http(url) }),
          {},
          noFilter,
          "worker",
        );
        try {
          const range = await fetcher.fetch({
            from: head,
            to: head,
            addresses: [],
            everyHeader: false,
          });
          assert.equal(range.headers.get(head)?.hash, (await client.getBlock()).hash);
          assert.equal(posts(), 3);
        } finally {
          await fetcher.close();
        }
      },
    );
    await withRefusingNode(
      () => ({ status: 503, body: "overloaded", retryAfter: "0" }),
      async (url, posts) => {
        const fetcher = rangeFetcherFor(
          createPublicClient({ transport: http(url) }),
          {},
          noFilter,
          "main",
        );
        await assert.rejects(
          fetcher.fetch({ from: 1, to: 1, addresses: [], everyHeader: false }),
          /HTTP 503: overloaded/,
        );
        assert.equal(posts(), 5);
      },
    );
  });

  it("fails a fetch the closed worker held, and a new worker takes the next, even while the old one ends", async () => {
    // A node that answers only when told to, so the fetch is still waiting when the worker ends.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = await serveChainOverHttp({
      request: async (call): Promise<unknown> => {
        await held;
        return (await connection.provider.request(call)) as unknown;
      },
    });
    const fetcher = rangeFetcherFor(
      createPublicClient({ transport: http(slow.url) }),
      {},
      noFilter,
      "worker",
    );
    try {
      const head = await headNumber();
      const waiting = fetcher.fetch({ from: head, to: head, addresses: [], everyHeader: false });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const closing = fetcher.close();
      // Asked for while the old worker is still ending: a new worker takes it, and the old one's
      // exit fails only the fetch it held.
      const again = fetcher.fetch({ from: head, to: head, addresses: [], everyHeader: false });
      await closing;
      await assert.rejects(waiting, /the range fetch worker exited/);
      release();
      assert.equal((await again).headers.get(head)?.number, head);
    } finally {
      release();
      await fetcher.close();
      await slow.close();
    }
  });

  it('refuses fetchThread "worker" for a client without an HTTP endpoint, and "auto" falls back to the main thread', () => {
    const inProcess = createPublicClient({ transport: custom(connection.provider) });
    assert.throws(() => rangeFetcherFor(inProcess, {}, noFilter, "worker"), NoWorkerTransportError);
    assert.equal(rangeFetcherFor(inProcess, {}, noFilter, "auto").thread, "main");
  });
});

describe("retryAfterMsOf", () => {
  it("reads Retry-After as seconds or as an HTTP date, and ignores anything else", () => {
    const now = Date.parse("Sun, 29 Nov 2026 04:00:00 GMT");
    assert.equal(retryAfterMsOf("2", now), 2000);
    assert.equal(retryAfterMsOf("Sun, 29 Nov 2026 04:00:03 GMT", now), 3000);
    assert.equal(retryAfterMsOf("Sun, 29 Nov 2026 03:59:00 GMT", now), 0);
    assert.equal(retryAfterMsOf("soon", now), undefined);
    assert.equal(retryAfterMsOf(null, now), undefined);
  });
});

describe("wantedLogs", () => {
  const address: Hex = "0x00000000000000000000000000000000000000aA";
  const topic: Hex = `0x${"11".repeat(32)}`;
  const logAt = (blockNumber: number, overrides: Partial<RangeLog> = {}): RangeLog => ({
    address: "0x00000000000000000000000000000000000000AA",
    topics: [topic],
    data: "0x",
    blockNumber,
    blockHash: `0x${"00".repeat(32)}`,
    logIndex: 0,
    transactionHash: `0x${"00".repeat(32)}`,
    transactionIndex: 0,
    ...overrides,
  });
  const wanted = wantedLogs({ sources: [{ address, startBlock: 10, topics: [topic] }] });

  it("keeps a handled event of a source from its start block, whatever the address's case", () => {
    assert.equal(wanted(logAt(10)), true);
    assert.equal(wanted(logAt(9)), false);
    assert.equal(wanted(logAt(10, { topics: [`0x${"22".repeat(32)}`] })), false);
    assert.equal(wanted(logAt(10, { topics: [] })), false);
    assert.equal(wanted(logAt(10, { address: `0x${"bb".repeat(20)}` })), false);
  });
});
