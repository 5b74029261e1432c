import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { MemoryBlockstore } from "blockstore-core";
import { importBytes } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import * as dagPb from "@ipld/dag-pb";
import { UnixFS } from "ipfs-unixfs";
import type { CID } from "multiformats/cid";
import { concat } from "uint8arrays/concat";
import { computeCid } from "./computeCid.ts";
import { computeUnixfsBlocks } from "./computeUnixfsBlocks.ts";
import { DAG_PB_CODEC, RAW_CODEC, UNIXFS_CHUNK_SIZE_BYTES } from "./constants.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Deterministic, non-repeating bytes (xorshift32 seeded from a label). Zero-filled
 * input would make every chunk identical and hide a leaf-ordering bug.
 */
function pseudoRandomBytes(length: number, seed: string): Uint8Array {
  const words = new Uint32Array(Math.ceil(length / 4));
  let state = createHash("sha256").update(seed).digest().readUInt32BE(0) | 1;
  for (let index = 0; index < words.length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[index] = state >>> 0;
  }
  return new Uint8Array(words.buffer, 0, length);
}

function multihashKey(cid: CID): string {
  return Buffer.from(cid.multihash.bytes).toString("hex");
}

/** The reference: ipfs-unixfs-importer configured as Kubo's `ipfs add --cid-version=1`. */
async function importerBlocks(bytes: Uint8Array) {
  const blockstore = new MemoryBlockstore();
  const entry = await importBytes(bytes, blockstore, {
    cidVersion: 1,
    rawLeaves: true,
    chunker: fixedSize({ chunkSize: 262_144 }),
    layout: balanced({ maxChildrenPerNode: 174 }),
    reduceSingleLeafToSelf: true,
  });
  // MemoryBlockstore keys blocks by multihash and lists them all as raw CIDs, so
  // blocks are compared by multihash; the root CID (codec included) is compared whole.
  const blocks = new Map<string, Uint8Array>();
  for await (const pair of blockstore.getAll()) {
    const parts: Uint8Array[] = [];
    for await (const part of pair.bytes) parts.push(part);
    blocks.set(multihashKey(pair.cid), concat(parts));
  }
  return { cid: entry.cid.toString(), blocks };
}

async function assertSameAsImporter(
  bytes: Uint8Array,
): Promise<ReturnType<typeof computeUnixfsBlocks>> {
  const ours = computeUnixfsBlocks(bytes);
  const reference = await importerBlocks(bytes);
  assert.equal(ours.cid.toString(), reference.cid);
  assert.equal(ours.size, bytes.length);
  // Every block we produce is one the importer stored, byte for byte, and no more.
  const ourBlocks = new Map(ours.blocks.map((block) => [multihashKey(block.cid), block.bytes]));
  assert.deepEqual([...ourBlocks.keys()].sort(), [...reference.blocks.keys()].sort());
  for (const [cid, blockBytes] of ourBlocks) {
    assert.deepEqual(blockBytes, reference.blocks.get(cid), `block ${cid}`);
  }
  assert.equal(ours.blocks.at(-1)?.cid.toString(), ours.cid.toString(), "root block last");
  return ours;
}

describe("computeUnixfsBlocks", () => {
  describe("when the file fits one chunk", () => {
    for (const size of [0, 1, 256 * KiB - 1, 256 * KiB]) {
      it(`gives the importer's raw-leaf CID for ${size} bytes`, async () => {
        const result = await assertSameAsImporter(pseudoRandomBytes(size, `size-${size}`));
        assert.equal(result.cid.code, RAW_CODEC);
        assert.equal(result.blocks.length, 1);
      });
    }

    it("gives the well-known CID of the empty file", () => {
      assert.equal(
        computeCid(new Uint8Array(0)).toString(),
        "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
      );
    });
  });

  describe("when the file spans several chunks", () => {
    for (const size of [256 * KiB + 1, 3 * MiB, 3 * MiB + 7]) {
      it(`gives the importer's dag-pb root and blocks for ${size} bytes`, async () => {
        const result = await assertSameAsImporter(pseudoRandomBytes(size, `size-${size}`));
        assert.equal(result.cid.code, DAG_PB_CODEC);
        assert.equal(result.blocks.length, Math.ceil(size / UNIXFS_CHUNK_SIZE_BYTES) + 1);
      });
    }

    it("gives the same blocks with a caller-supplied (native) sha256", () => {
      const bytes = pseudoRandomBytes(3 * MiB + 1, "native");
      let calls = 0;
      const native = computeUnixfsBlocks(bytes, {
        sha256: (data) => {
          calls++;
          return createHash("sha256").update(data).digest();
        },
      });
      const reference = computeUnixfsBlocks(bytes);
      assert.equal(calls, reference.blocks.length, "every block hashed by the given function");
      assert.ok(native.cid.equals(reference.cid));
      assert.deepEqual(
        native.blocks.map((block) => block.cid.toString()),
        reference.blocks.map((block) => block.cid.toString()),
      );
    });

    it("records filesize and block sizes in the root", () => {
      const size = 2 * UNIXFS_CHUNK_SIZE_BYTES + 5;
      const { blocks } = computeUnixfsBlocks(pseudoRandomBytes(size, "sizes"));
      const root = dagPb.decode(blocks.at(-1)?.bytes ?? new Uint8Array());
      const unixfs = UnixFS.unmarshal(root.Data ?? new Uint8Array());
      assert.equal(unixfs.type, "file");
      assert.equal(unixfs.fileSize(), BigInt(size));
      assert.deepEqual(unixfs.blockSizes, [262_144n, 262_144n, 5n]);
      assert.deepEqual(
        root.Links.map((link) => link.Tsize),
        [262_144, 262_144, 5],
      );
    });
  });

  describe("when the file needs more than 174 leaves", () => {
    // 174 leaves fill one parent; one byte more forces a second level. Both sides
    // of that boundary, against the importer: ~87 MiB hashed twice, a few seconds.
    for (const size of [174 * 256 * KiB, 174 * 256 * KiB + 1]) {
      it(`gives the importer's root for ${size} bytes`, async (t) => {
        const bytes = pseudoRandomBytes(size, "big");
        const started = performance.now();
        const result = await assertSameAsImporter(bytes);
        const leaves = Math.ceil(size / UNIXFS_CHUNK_SIZE_BYTES);
        const parents = leaves <= 174 ? 1 : Math.ceil(leaves / 174) + 1;
        assert.equal(result.blocks.length, leaves + parents);
        const root = dagPb.decode(result.blocks.at(-1)?.bytes ?? new Uint8Array());
        assert.equal(root.Links.length, leaves <= 174 ? 174 : 2);
        const elapsedMs = performance.now() - started;
        // Reported, not asserted: the machine is shared.
        t.diagnostic(`${size} bytes, ours + importer: ${elapsedMs.toFixed(0)} ms`);
      });
    }
  });
});
