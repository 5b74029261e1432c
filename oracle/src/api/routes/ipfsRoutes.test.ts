import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import * as dagCbor from "@ipld/dag-cbor";
import Fastify, { type FastifyInstance } from "fastify";
import { varint } from "multiformats";
import { CID } from "multiformats/cid";
import { computeUnixfsBlocks } from "@energy-intelligence/sdk";
import type { ContentStore } from "../../ipfs/contentStore.ts";
import { createHeliaContentStore } from "../../ipfs/createHeliaContentStore.ts";
import { ipfsRoutes } from "./ipfsRoutes.ts";

const directory = mkdtempSync(path.join(tmpdir(), "ei-ipfs-route-"));
const json = new TextEncoder().encode(JSON.stringify({ format: "test", values: [1, 2, 3] }));
const big = Uint8Array.from({ length: 300_000 }, (_, i) => i % 256);
const jsonFile = computeUnixfsBlocks(json);
const bigFile = computeUnixfsBlocks(big);
let store: ContentStore;
let app: FastifyInstance;

before(async () => {
  store = await createHeliaContentStore({ directory });
  await store.putFile({ root: jsonFile.cid, blocks: jsonFile.blocks, bytes: json });
  await store.putFile({ root: bigFile.cid, blocks: bigFile.blocks, bytes: big });
  app = Fastify();
  ipfsRoutes(app, { store });
  await app.ready();
});
after(async () => {
  await app.close();
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Splits a CARv1 into its header and (cid, bytes) blocks. */
function readCar(car: Uint8Array): { roots: CID[]; blocks: { cid: CID; bytes: Uint8Array }[] } {
  let offset = 0;
  const next = (): Uint8Array => {
    const [length, used] = varint.decode(car, offset);
    offset += used;
    const section = car.subarray(offset, offset + length);
    offset += length;
    return section;
  };
  const header = dagCbor.decode<{ roots: CID[]; version: number }>(next());
  assert.equal(header.version, 1);
  const blocks: { cid: CID; bytes: Uint8Array }[] = [];
  while (offset < car.length) {
    const section = next();
    const [cid, rest] = CID.decodeFirst(section);
    blocks.push({ cid, bytes: rest });
  }
  return { roots: header.roots, blocks };
}

describe("GET /ipfs/:cid", () => {
  it("serves a JSON file's bytes with immutable caching and an ETag", async () => {
    const response = await app.inject({ method: "GET", url: `/ipfs/${jsonFile.cid.toString()}` });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(response.headers.etag, `"${jsonFile.cid.toString()}"`);
    assert.match(String(response.headers["cache-control"]), /immutable/u);
    assert.deepEqual(new Uint8Array(response.rawPayload), json);
    const again = await app.inject({
      method: "GET",
      url: `/ipfs/${jsonFile.cid.toString()}`,
      headers: { "if-none-match": `"${jsonFile.cid.toString()}"` },
    });
    assert.equal(again.statusCode, 304);
  });

  it("reassembles a multi-block file", async () => {
    const response = await app.inject({ method: "GET", url: `/ipfs/${bigFile.cid.toString()}` });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers["content-type"], "application/octet-stream");
    assert.deepEqual(new Uint8Array(response.rawPayload), big);
  });

  it("returns the raw block for ?format=raw and for Accept: application/vnd.ipld.raw", async () => {
    const root = bigFile.blocks.at(-1);
    assert.ok(root !== undefined);
    for (const request of [
      { url: `/ipfs/${bigFile.cid.toString()}?format=raw` },
      { url: `/ipfs/${bigFile.cid.toString()}`, headers: { accept: "application/vnd.ipld.raw" } },
    ]) {
      const response = await app.inject({ method: "GET", ...request });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers["content-type"], "application/vnd.ipld.raw");
      assert.equal(response.headers.etag, `"${bigFile.cid.toString()}.raw"`);
      assert.deepEqual(new Uint8Array(response.rawPayload), root.bytes);
    }
  });

  it("returns a CARv1 of the whole DAG, root first, that matches the sdk's blocks", async () => {
    const response = await app.inject({
      method: "GET",
      url: `/ipfs/${bigFile.cid.toString()}?format=car`,
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers["content-type"], "application/vnd.ipld.car; version=1");
    const car = readCar(new Uint8Array(response.rawPayload));
    assert.ok(car.roots[0]?.equals(bigFile.cid));
    assert.ok(car.blocks[0]?.cid.equals(bigFile.cid));
    const expected = new Map(bigFile.blocks.map((block) => [block.cid.toString(), block.bytes]));
    assert.equal(car.blocks.length, expected.size);
    for (const block of car.blocks)
      assert.deepEqual(block.bytes, expected.get(block.cid.toString()));
  });

  it("answers 404 for an unknown CID and 400 for a malformed one or an unsupported format", async () => {
    const unknown = computeUnixfsBlocks(new Uint8Array([1, 2, 3])).cid.toString();
    assert.equal((await app.inject({ method: "GET", url: `/ipfs/${unknown}` })).statusCode, 404);
    assert.equal(
      (await app.inject({ method: "GET", url: `/ipfs/${unknown}?format=car` })).statusCode,
      404,
    );
    const malformed = await app.inject({ method: "GET", url: "/ipfs/not-a-cid" });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.headers["content-type"], "application/problem+json; charset=utf-8");
    const format = await app.inject({
      method: "GET",
      url: `/ipfs/${jsonFile.cid.toString()}?format=tar`,
    });
    assert.equal(format.statusCode, 400);
  });
});
