import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { computeCid, computeUnixfsBlocks } from "@energy-intelligence/sdk";
import { ContentMismatchError, ContentStoreUnavailableError } from "./contentStore.ts";
import { createKuboContentStore } from "./createKuboContentStore.ts";
import { type KuboRpcStub, startKuboRpcStub } from "./testing/startKuboRpcStub.ts";

function document(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed;
  for (let index = 0; index < size; index++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

describe("Kubo content store (kubo-rpc-client against a stand-in speaking Kubo's RPC)", () => {
  let kubo: KuboRpcStub;
  before(async () => {
    kubo = await startKuboRpcStub();
  });
  after(async () => {
    await kubo.close();
  });

  for (const [label, size] of [
    ["a one-block document", 10_000],
    ["a multi-block document (3 chunks and a dag-pb root)", 600_000],
  ] as const) {
    it(`stores ${label}: Kubo's own add gives the sdk's CID, and the blocks read back`, async () => {
      const store = createKuboContentStore({ url: kubo.url, timeoutMs: 5000 });
      const bytes = document(size, size);
      const { cid, blocks } = computeUnixfsBlocks(bytes);
      assert.equal(computeCid(bytes).toString(), cid.toString());
      kubo.calls.length = 0;
      await store.putFile({ root: cid, blocks, bytes });

      const add = kubo.calls.find((call) => call.path === "add");
      assert.ok(add !== undefined);
      assert.equal(add.query.get("cid-version"), "1");
      assert.equal(add.query.get("raw-leaves"), "true");
      assert.equal(add.query.get("chunker"), "size-262144");
      assert.equal(add.query.get("pin"), "true");
      const puts = kubo.calls.filter((call) => call.path === "block/put");
      assert.equal(puts.length, blocks.length);
      assert.equal(
        puts.some((call) => call.query.has("format")),
        false,
        "no legacy CIDv0 switch",
      );
      for (const block of blocks) {
        assert.equal(await store.hasBlock(block.cid), true);
        assert.deepEqual(await store.getBlock(block.cid), block.bytes);
      }
      assert.equal(kubo.blocks.has(cid.toString()), true);
      // Idempotent: the same file again is fine.
      await store.putFile({ root: cid, blocks, bytes });
    });
  }

  it("answers undefined / false for a block it does not hold (offline, no network fetch)", async () => {
    const store = createKuboContentStore({ url: kubo.url });
    const absent = computeCid(document(100, 99));
    assert.equal(await store.hasBlock(absent), false);
    assert.equal(await store.getBlock(absent), undefined);
    const stat = kubo.calls.findLast((call) => call.path === "block/stat");
    assert.equal(stat?.query.get("offline"), "true");
  });

  it("refuses a file whose CID Kubo computes differently (ContentMismatchError)", async () => {
    const store = createKuboContentStore({ url: kubo.url });
    const bytes = document(1000, 1);
    const other = computeUnixfsBlocks(document(1000, 2));
    await assert.rejects(
      store.putFile({ root: other.cid, blocks: other.blocks, bytes }),
      ContentMismatchError,
    );
  });

  it("reports an unreachable daemon as an outage, and readiness follows it", async () => {
    const store = createKuboContentStore({ url: kubo.url, timeoutMs: 1000 });
    assert.equal(await store.isUp(), true);
    const bytes = document(2000, 3);
    const { cid, blocks } = computeUnixfsBlocks(bytes);
    kubo.down = true;
    try {
      assert.equal(await store.isUp(), false);
      await assert.rejects(
        store.putFile({ root: cid, blocks, bytes }),
        ContentStoreUnavailableError,
      );
      await assert.rejects(store.hasBlock(cid), ContentStoreUnavailableError);
    } finally {
      kubo.down = false;
    }
    await store.putFile({ root: cid, blocks, bytes });
    assert.equal(await store.hasBlock(cid), true);
  });
});
