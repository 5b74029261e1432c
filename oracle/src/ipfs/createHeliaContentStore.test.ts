import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { computeUnixfsBlocks } from "@energy-intelligence/sdk";
import { ContentMismatchError } from "./contentStore.ts";
import { createHeliaContentStore } from "./createHeliaContentStore.ts";
import { readUnixfsFile } from "./readUnixfsFile.ts";

const directory = mkdtempSync(path.join(tmpdir(), "ei-helia-"));
after(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Stores may hand back Buffers; compare plain bytes. */
function plain(bytes: Uint8Array | undefined): Uint8Array | undefined {
  return bytes === undefined ? undefined : new Uint8Array(bytes);
}

function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 251);
}

describe("createHeliaContentStore", () => {
  it("stores one-block and multi-block files under the sdk's CIDs, and they survive a restart", async () => {
    const small = computeUnixfsBlocks(bytesOf(1000, 1));
    const large = computeUnixfsBlocks(bytesOf(600_000, 2));
    assert.equal(large.blocks.length, 4, "three chunks and a root");
    const store = await createHeliaContentStore({ directory });
    await store.putFile({ root: small.cid, blocks: small.blocks, bytes: bytesOf(1000, 1) });
    await store.putFile({ root: large.cid, blocks: large.blocks, bytes: bytesOf(600_000, 2) });
    await store.putFile({ root: large.cid, blocks: large.blocks, bytes: bytesOf(600_000, 2) });
    await store.close();

    const reopened = await createHeliaContentStore({ directory });
    try {
      assert.equal(await reopened.hasBlock(small.cid), true);
      assert.deepEqual(plain(await reopened.getBlock(small.cid)), bytesOf(1000, 1));
      for (const block of large.blocks)
        assert.deepEqual(plain(await reopened.getBlock(block.cid)), plain(block.bytes));
      assert.deepEqual(plain(await readUnixfsFile(reopened, large.cid)), bytesOf(600_000, 2));
      const unknown = computeUnixfsBlocks(bytesOf(10, 9)).cid;
      assert.equal(await reopened.hasBlock(unknown), false);
      assert.equal(await reopened.getBlock(unknown), undefined);
    } finally {
      await reopened.close();
    }
  });

  it("refuses a file whose bytes do not import to the claimed root", async () => {
    const store = await createHeliaContentStore({ directory });
    try {
      const claimed = computeUnixfsBlocks(bytesOf(100, 3));
      await assert.rejects(
        store.putFile({ root: claimed.cid, blocks: claimed.blocks, bytes: bytesOf(100, 4) }),
        ContentMismatchError,
      );
    } finally {
      await store.close();
    }
  });
});
