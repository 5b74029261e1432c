import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { openEntityStore, UnknownEntityTypeError } from "./openEntityStore.ts";

const SCHEMA = `type Counter @entity(immutable: false) { id: ID!  value: BigInt! }`;
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function open() {
  const dir = await mkdtemp(path.join(tmpdir(), "ei-entity-store-"));
  dirs.push(dir);
  return openEntityStore(path.join(dir, "store.sqlite"), SCHEMA);
}

function versions(store: Awaited<ReturnType<typeof open>>) {
  return store.db
    .prepare<[], { block_from: number; block_to: number | null; data: string }>(
      `SELECT block_from, block_to, data FROM "Counter" ORDER BY vid`,
    )
    .all()
    .map((row) => [
      row.block_from,
      row.block_to,
      (JSON.parse(row.data) as { value: string }).value,
    ]);
}

describe("openEntityStore", () => {
  it("keeps one version per block an entity changed in, the latest open-ended", async () => {
    const store = await open();
    store.set("Counter", "a", { id: "a", value: "1" }, 5);
    store.set("Counter", "a", { id: "a", value: "2" }, 5);
    store.set("Counter", "a", { id: "a", value: "3" }, 7);
    assert.deepEqual(versions(store), [
      [5, 7, "2"],
      [7, null, "3"],
    ]);
    assert.deepEqual(store.get("Counter", "a"), { id: "a", value: "3" });
    store.remove("Counter", "a", 9);
    assert.equal(store.get("Counter", "a"), null);
    assert.deepEqual(versions(store).at(-1), [7, 9, "3"]);
    store.close();
  });

  it("reverts to a block: later versions dropped, versions they closed reopened", async () => {
    const store = await open();
    store.set("Counter", "a", { id: "a", value: "1" }, 5);
    store.set("Counter", "a", { id: "a", value: "2" }, 8);
    store.set("Counter", "b", { id: "b", value: "9" }, 9);
    store.recordBlock({ number: 8, hash: "0x08", parentHash: "0x07", timestamp: 1_700_000_008 });
    store.recordBlock({ number: 9, hash: "0x09", parentHash: "0x08", timestamp: 1_700_000_009 });
    store.revertTo(7);
    assert.deepEqual(store.get("Counter", "a"), { id: "a", value: "1" });
    assert.equal(store.get("Counter", "b"), null);
    assert.deepEqual(versions(store), [[5, null, "1"]]);
    assert.equal(store.getBlock(8), null);
    store.close();
  });

  it("creates the _meta and _blocks tables and refuses entity types the schema lacks", async () => {
    const store = await open();
    store.setMeta("head_block_number", "12");
    assert.equal(store.getMeta("head_block_number"), "12");
    store.setMeta("head_block_number", null);
    assert.equal(store.getMeta("head_block_number"), null);
    assert.throws(() => {
      store.set("Nope", "x", { id: "x" }, 1);
    }, UnknownEntityTypeError);
    store.close();
  });

  it("inside a transaction writes the same versions and reads back what it wrote; a rollback leaves no trace", async () => {
    const store = await open();
    store.transaction(() => {
      store.set("Counter", "a", { id: "a", value: "1" }, 1);
      assert.deepEqual(store.get("Counter", "a"), { id: "a", value: "1" });
      store.set("Counter", "a", { id: "a", value: "2" }, 1);
      store.set("Counter", "a", { id: "a", value: "3" }, 2);
      store.remove("Counter", "a", 3);
      assert.equal(store.get("Counter", "a"), null);
      store.set("Counter", "a", { id: "a", value: "4" }, 4);
    });
    assert.deepEqual(versions(store), [
      [1, 2, "2"],
      [2, 3, "3"],
      [4, null, "4"],
    ]);
    assert.throws(() => {
      store.transaction(() => {
        store.set("Counter", "a", { id: "a", value: "5" }, 5);
        assert.deepEqual(store.get("Counter", "a"), { id: "a", value: "5" });
        throw new Error("handler failed");
      });
    }, /handler failed/);
    assert.deepEqual(store.get("Counter", "a"), { id: "a", value: "4" });
    store.transaction(() => {
      assert.deepEqual(store.get("Counter", "a"), { id: "a", value: "4" });
    });
    assert.deepEqual(versions(store).at(-1), [4, null, "4"]);
    store.close();
  });
});
