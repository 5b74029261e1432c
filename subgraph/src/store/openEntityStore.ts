/**
 * The embedded indexer's SQLite entity store: one table per entity type with block-range versions
 * (graph-node's idea of `block_range`, flattened into `block_from`/`block_to`), the `_meta` key/value
 * table and the `_blocks` table of processed block hashes used to detect reorgs.
 * The layout is documented in README.md beside this file; the GraphQL server reads it as is.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3, { type Database, type Statement } from "better-sqlite3";
import { readEntitySchema, type EntitySchema } from "../query/readEntitySchema.ts";

/** schema.graphql of this subgraph. */
export const SCHEMA_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "schema.graphql",
);

/** A stored entity: field name to JSON value (see README.md for the encoding of each scalar). */
export type EntityData = Record<string, unknown>;

/** The `_meta` keys the indexer writes. */
export type MetaKey =
  | "deployment"
  | "network"
  | "head_block_number"
  | "head_block_hash"
  | "has_indexing_errors"
  | "fatal_error"
  | "start_block"
  | "synced";

export interface BlockRecord {
  number: number;
  hash: string;
  parentHash: string;
  /** Seconds since the Unix epoch, as in the block header (`_meta.block.timestamp`). */
  timestamp: number;
}

interface TableStatements {
  table: string;
  latest: Statement<[string], { vid: number; block_from: number; data: string }>;
  close: Statement<[number, number]>;
  insert: Statement<[string, number, string]>;
  update: Statement<[string, number]>;
  deleteVersion: Statement<[number]>;
  revertInserted: Statement<[number]>;
  revertClosed: Statement<[number]>;
}

interface LatestVersion {
  vid: number;
  blockFrom: number;
  data: EntityData;
}

export interface EntityStore {
  readonly db: Database;
  readonly schema: EntitySchema;
  /** The current version of an entity, or null. */
  get(type: string, id: string): EntityData | null;
  /** Writes `data` as the version of `id` from block `block` on (in place if written in that block). */
  set(type: string, id: string, data: EntityData, block: number): void;
  /**
   * Inside `transaction()`: reads the current versions of those of `ids` not read yet in one query,
   * so the `get`/`set` of each that follows needs none (a block's new containers are ~100 ids).
   */
  prefetch(type: string, ids: readonly string[]): void;
  /** Ends the current version of `id` at `block` (drops it if it began in that block). */
  remove(type: string, id: string, block: number): void;
  /** Undoes every entity change made after block `block` (reorg rollback), and forgets those blocks. */
  revertTo(block: number): void;
  getMeta(key: MetaKey): string | null;
  setMeta(key: MetaKey, value: string | null): void;
  recordBlock(block: BlockRecord): void;
  getBlock(number: number): BlockRecord | null;
  /** Forgets block hashes below `number` (beyond the reorg window). */
  pruneBlocks(belowNumber: number): void;
  /** Runs `fn` in one SQLite transaction. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Unknown entity type: the mapping and schema.graphql disagree. */
export class UnknownEntityTypeError extends Error {
  override name = "UnknownEntityTypeError";
  constructor(type: string) {
    super(`entity type "${type}" is not in schema.graphql`);
  }
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Opens (creating as needed) the entity store at `file`, with a table per entity type of
 * `schemaSdl` (default: this subgraph's schema.graphql).
 *
 * @example
 * ```ts
 * const store = openEntityStore("./data/subgraph.sqlite");
 * store.get("Site", "0x…");
 * ```
 */
export function openEntityStore(file: string, schemaSdl?: string): EntityStore {
  const schema = readEntitySchema(schemaSdl ?? readFileSync(SCHEMA_FILE, "utf8"));
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  // The chain is the source of truth: a lost last transaction after a power cut is re-indexed from
  // the recorded head, so NORMAL (no fsync per commit) is safe here and much faster.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  // The multi-row INSERTs inside a range's transaction each keep a statement journal: in a temp
  // file that was ~3 page writes per row inserted (strace of a full sync), in memory none.
  db.pragma("temp_store = MEMORY");

  db.exec(`CREATE TABLE IF NOT EXISTS _meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE IF NOT EXISTS _blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, parent_hash TEXT NOT NULL, timestamp INTEGER);`);
  // Stores written before block timestamps were kept gain the column; their old rows read as null.
  const blockColumns = db
    .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('_blocks')")
    .all();
  if (!blockColumns.some((c) => c.name === "timestamp")) {
    db.exec("ALTER TABLE _blocks ADD COLUMN timestamp INTEGER");
  }
  const tables = new Map<string, TableStatements>();
  for (const type of schema.types) {
    const table = quote(type.name);
    const index = (suffix: string) => quote(`${type.name}_${suffix}`);
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
        vid INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        block_from INTEGER NOT NULL,
        block_to INTEGER,
        data TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS ${index("id_block_to")} ON ${table} (id, block_to);
      CREATE INDEX IF NOT EXISTS ${index("block_from")} ON ${table} (block_from);`);
    tables.set(type.name, {
      table,
      latest: db.prepare(
        `SELECT vid, block_from, data FROM ${table} WHERE id = ? AND block_to IS NULL`,
      ),
      close: db.prepare(`UPDATE ${table} SET block_to = ? WHERE vid = ?`),
      insert: db.prepare(
        `INSERT INTO ${table} (id, block_from, block_to, data) VALUES (?, ?, NULL, ?)`,
      ),
      update: db.prepare(`UPDATE ${table} SET data = ? WHERE vid = ?`),
      deleteVersion: db.prepare(`DELETE FROM ${table} WHERE vid = ?`),
      revertInserted: db.prepare(`DELETE FROM ${table} WHERE block_from > ?`),
      revertClosed: db.prepare(`UPDATE ${table} SET block_to = NULL WHERE block_to > ?`),
    });
  }
  const statementsOf = (type: string): TableStatements => {
    const statements = tables.get(type);
    if (statements === undefined) throw new UnknownEntityTypeError(type);
    return statements;
  };

  // Current versions read or written inside `transaction()`: the indexer writes a range in one
  // transaction and reads back most of what it writes (aggregates, jobs), so this saves a SELECT per
  // get and per set. Only this connection writes the tables; the cache is dropped when the
  // transaction ends (commit or rollback) and on revertTo.
  // By type, then id: a key made of both was a new string to build and hash on every lookup.
  const latest = new Map<string, Map<string, LatestVersion | null>>();
  const cacheOf = (type: string): Map<string, LatestVersion | null> => {
    let cache = latest.get(type);
    if (cache === undefined) {
      cache = new Map();
      latest.set(type, cache);
    }
    return cache;
  };
  let caching = false;
  const latestOf = (type: string, id: string): LatestVersion | null => {
    const cache = caching ? cacheOf(type) : null;
    if (cache !== null) {
      const cached = cache.get(id);
      if (cached !== undefined) return cached;
    }
    const row = statementsOf(type).latest.get(id);
    const version =
      row === undefined
        ? null
        : { vid: row.vid, blockFrom: row.block_from, data: JSON.parse(row.data) as EntityData };
    if (cache !== null) cache.set(id, version);
    return version;
  };
  const PREFETCH_CHUNK = 100;
  const latestMany = new Map<
    string,
    Statement<string[], { id: string; vid: number; block_from: number; data: string }>
  >();
  const prefetch = (type: string, ids: readonly string[]): void => {
    if (!caching) return;
    const statements = statementsOf(type);
    const cache = cacheOf(type);
    const missing = ids.filter((id) => !cache.has(id));
    for (let start = 0; start < missing.length; start += PREFETCH_CHUNK) {
      const chunk = missing.slice(start, start + PREFETCH_CHUNK);
      const key = `${statements.table}\u0000${chunk.length}`;
      let statement = latestMany.get(key);
      if (statement === undefined) {
        statement = db.prepare(
          `SELECT id, vid, block_from, data FROM ${statements.table} WHERE block_to IS NULL AND id IN (${chunk.map(() => "?").join(", ")})`,
        );
        latestMany.set(key, statement);
      }
      for (const id of chunk) cache.set(id, null);
      for (const row of statement.all(...chunk)) {
        cache.set(row.id, {
          vid: row.vid,
          blockFrom: row.block_from,
          data: JSON.parse(row.data) as EntityData,
        });
      }
    }
  };
  const remember = (type: string, id: string, version: LatestVersion | null): void => {
    if (caching) cacheOf(type).set(id, version);
  };

  // New versions inserted inside `transaction()` wait here and go in as multi-row INSERTs: one
  // statement per 64 rows instead of one per row (a 100-container block inserts ~110 rows). Each
  // waits with its cached version, whose vid is filled in when the rows are written: before any
  // statement needs a vid (close, update, delete), before revertTo, and when the transaction ends.
  // A SELECT needs no flush: an id with a waiting insert is in the cache and never read from SQLite.
  const INSERT_CHUNK = 64;
  const waiting: {
    statements: TableStatements;
    id: string;
    json: string;
    version: LatestVersion;
  }[] = [];
  const multiInserts = new Map<string, Statement<(string | number)[]>>();
  const multiInsert = (statements: TableStatements, rows: number) => {
    const key = `${statements.table}\u0000${rows}`;
    let statement = multiInserts.get(key);
    if (statement === undefined) {
      const values = Array.from({ length: rows }, () => "(?, ?, NULL, ?)").join(", ");
      statement = db.prepare(
        `INSERT INTO ${statements.table} (id, block_from, block_to, data) VALUES ${values}`,
      );
      multiInserts.set(key, statement);
    }
    return statement;
  };
  const flushInserts = (): void => {
    let start = 0;
    while (start < waiting.length) {
      const statements = waiting[start]?.statements;
      if (statements === undefined) break;
      let end = start + 1;
      while (
        end < waiting.length &&
        end - start < INSERT_CHUNK &&
        waiting[end]?.statements === statements
      )
        end++;
      const params: (string | number)[] = [];
      for (let i = start; i < end; i++) {
        const row = waiting[i];
        if (row !== undefined) params.push(row.id, row.version.blockFrom, row.json);
      }
      // Rows of one INSERT get consecutive rowids in VALUES order (this connection is the only
      // writer, and AUTOINCREMENT only moves up), so the last row's id gives every row's.
      const last = Number(multiInsert(statements, end - start).run(...params).lastInsertRowid);
      for (let i = start; i < end; i++) {
        const row = waiting[i];
        if (row !== undefined) row.version.vid = last - (end - 1 - i);
      }
      start = end;
    }
    waiting.length = 0;
  };
  /** The version's vid, writing the waiting inserts first if it has none yet. */
  const vidOf = (version: LatestVersion): number => {
    if (version.vid < 0) flushInserts();
    return version.vid;
  };

  const getMeta = db.prepare<[string], { value: string | null }>(
    "SELECT value FROM _meta WHERE key = ?",
  );
  const putMeta = db.prepare<[string, string]>(
    "INSERT INTO _meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const deleteMeta = db.prepare<[string]>("DELETE FROM _meta WHERE key = ?");
  const putBlock = db.prepare<[number, string, string, number]>(
    "INSERT OR REPLACE INTO _blocks (number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?)",
  );
  const getBlock = db.prepare<
    [number],
    { number: number; hash: string; parent_hash: string; timestamp: number | null }
  >("SELECT number, hash, parent_hash, timestamp FROM _blocks WHERE number = ?");
  const deleteBlocksAbove = db.prepare<[number]>("DELETE FROM _blocks WHERE number > ?");
  const deleteBlocksBelow = db.prepare<[number]>("DELETE FROM _blocks WHERE number < ?");

  return {
    db,
    schema,
    get(type, id) {
      return latestOf(type, id)?.data ?? null;
    },
    prefetch,
    set(type, id, data, block) {
      const statements = statementsOf(type);
      const json = JSON.stringify(data);
      const row = latestOf(type, id);
      if (row?.blockFrom === block) {
        statements.update.run(json, vidOf(row));
        row.data = data;
        return;
      }
      if (row !== null) statements.close.run(block, vidOf(row));
      if (caching) {
        const version = { vid: -1, blockFrom: block, data };
        waiting.push({ statements, id, json, version });
        remember(type, id, version);
        return;
      }
      statements.insert.run(id, block, json);
    },
    remove(type, id, block) {
      const statements = statementsOf(type);
      const row = latestOf(type, id);
      if (row === null) return;
      if (row.blockFrom === block) statements.deleteVersion.run(vidOf(row));
      else statements.close.run(block, vidOf(row));
      remember(type, id, null);
    },
    revertTo(block) {
      flushInserts();
      latest.clear();
      db.transaction(() => {
        for (const statements of tables.values()) {
          // Order matters: drop versions born after `block`, then reopen versions closed after it.
          statements.revertInserted.run(block);
          statements.revertClosed.run(block);
        }
        deleteBlocksAbove.run(block);
      })();
    },
    getMeta(key) {
      return getMeta.get(key)?.value ?? null;
    },
    setMeta(key, value) {
      if (value === null) deleteMeta.run(key);
      else putMeta.run(key, value);
    },
    recordBlock(record) {
      putBlock.run(record.number, record.hash, record.parentHash, record.timestamp);
    },
    getBlock(number) {
      const row = getBlock.get(number);
      return row === undefined
        ? null
        : {
            number: row.number,
            hash: row.hash,
            parentHash: row.parent_hash,
            timestamp: row.timestamp ?? 0,
          };
    },
    pruneBlocks(belowNumber) {
      deleteBlocksBelow.run(belowNumber);
    },
    transaction(fn) {
      const outermost = !db.inTransaction;
      if (outermost) caching = true;
      // A nested transaction (a savepoint) starts with nothing waiting, so the inserts a rollback
      // of it must undo are exactly those waiting when it throws.
      else flushInserts();
      try {
        return db.transaction(() => {
          try {
            const result = fn();
            flushInserts();
            return result;
          } catch (error) {
            waiting.length = 0;
            throw error;
          }
        })();
      } finally {
        // Rolled back or committed, the cache and the waiting inserts end with the transaction.
        if (outermost) {
          caching = false;
          latest.clear();
          waiting.length = 0;
        }
      }
    },
    close() {
      db.close();
    },
  };
}
