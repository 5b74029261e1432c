/**
 * A store for query tests and benches, filled directly (no chain, no wasm):
 * the indexer's own openEntityStore in a temporary directory, plus helpers to
 * advance the head block and to mark the deployment failed the way the
 * indexer does. Versioned rows come from writing an entity again at a later
 * block (`set`) or removing it (`remove`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openEntityStore, type EntityData, type EntityStore } from "../../store/openEntityStore.ts";

/** The timestamp fixture block `number` carries: one block every 12 s from a fixed genesis. */
export function fixtureBlockTimestamp(number: number): number {
  return 1_700_000_000 + number * 12;
}

/** A deterministic 32-byte hash for block `number` on fork `fork`. */
export function fixtureBlockHash(number: number, fork = 0): string {
  return `0x${fork.toString(16).padStart(8, "0")}${number.toString(16).padStart(56, "0")}`;
}

export interface FixtureStore {
  readonly store: EntityStore;
  readonly file: string;
  /** Writes the entity's version from `block` on. */
  set(type: string, id: string, data: EntityData, block: number): void;
  remove(type: string, id: string, block: number): void;
  /** Records blocks up to `number` and makes it the indexed head. */
  advanceTo(number: number): void;
  /** Marks the deployment failed at `block` like the indexer does on a handler error. */
  fail(block: number, message: string, handler: string): void;
  close(): void;
}

export interface FixtureOptions {
  deployment?: string;
  startBlock?: number;
}

/** Opens an empty store for `schemaSdl` in a fresh temporary directory. */
export function createFixtureStore(schemaSdl: string, options: FixtureOptions = {}): FixtureStore {
  const dir = mkdtempSync(path.join(tmpdir(), "ei-query-fixture-"));
  const file = path.join(dir, "subgraph.sqlite");
  const store = openEntityStore(file, schemaSdl);
  const startBlock = options.startBlock ?? 0;
  store.setMeta("deployment", options.deployment ?? "QmFixtureDeployment");
  store.setMeta("start_block", String(startBlock));
  store.setMeta("has_indexing_errors", "false");
  let head: number | null = null;

  return {
    store,
    file,
    set: (type, id, data, block) => {
      store.set(type, id, { id, ...data }, block);
    },
    remove: (type, id, block) => {
      store.remove(type, id, block);
    },
    advanceTo: (number) => {
      store.transaction(() => {
        for (let n = head === null ? startBlock : head + 1; n <= number; n++) {
          store.recordBlock({
            number: n,
            hash: fixtureBlockHash(n),
            parentHash: n === 0 ? fixtureBlockHash(0, 0xffff) : fixtureBlockHash(n - 1),
            timestamp: fixtureBlockTimestamp(n),
          });
        }
        store.setMeta("head_block_number", String(number));
        store.setMeta("head_block_hash", fixtureBlockHash(number));
      });
      head = number;
    },
    fail: (block, message, handler) => {
      store.setMeta("has_indexing_errors", "true");
      store.setMeta(
        "fatal_error",
        JSON.stringify({
          block: { number: block, hash: fixtureBlockHash(block) },
          message,
          handler,
        }),
      );
    },
    close: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
