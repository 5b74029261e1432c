/**
 * What the query layer reads from the store's `_meta` and `_blocks` tables:
 * the indexed head, the deployment id, the network, whether the indexer reached the chain head
 * once, and whether (where, why) indexing failed.
 */
import type { Database } from "better-sqlite3";
import { z } from "zod";

export interface BlockPointer {
  number: number;
  hash: string | null;
}

export interface FatalError {
  block: { number: number; hash: string | null } | null;
  message: string;
  handler: string | null;
  /** A handler error is deterministic: the same block fails the same way on every run. */
  deterministic: boolean;
}

export interface StoreState {
  deployment: string;
  /** null before the indexer processed any block. */
  head: BlockPointer | null;
  hasIndexingErrors: boolean;
  fatalError: FatalError | null;
  startBlock: number;
  /** graph-node network name of the indexed chain ("" before the indexer wrote it). */
  network: string;
  /** The indexer has reached the chain head once (graph-node's `synced`; never reset). */
  synced: boolean;
}

const fatalErrorSchema = z.object({
  block: z
    .object({ number: z.number().int(), hash: z.string().nullish() })
    .nullish()
    .transform((b) => (b == null ? null : { number: b.number, hash: b.hash ?? null })),
  message: z.string(),
  handler: z
    .string()
    .nullish()
    .transform((h) => h ?? null),
  // Records written before the flag existed were all handler errors.
  deterministic: z.boolean().default(true),
});

function decimalOrNull(text: string | undefined): number | null {
  if (text === undefined || !/^\d+$/.test(text)) return null;
  return Number(text);
}

/** Reads `_meta` (one small table; cheap enough to read once per request). */
export function readStoreState(db: Database): StoreState {
  const rows = db.prepare("SELECT key, value FROM _meta").all() as {
    key: string;
    value: string;
  }[];
  const meta = new Map(rows.map((r) => [r.key, r.value]));
  const headNumber = decimalOrNull(meta.get("head_block_number"));
  let fatalError: FatalError | null = null;
  const fatalText = meta.get("fatal_error");
  if (fatalText !== undefined && fatalText !== "") {
    try {
      fatalError = fatalErrorSchema.parse(JSON.parse(fatalText));
    } catch {
      // An unreadable record still means the subgraph failed.
      fatalError = { block: null, message: fatalText, handler: null, deterministic: true };
    }
  }
  return {
    deployment: meta.get("deployment") ?? "",
    head:
      headNumber === null
        ? null
        : { number: headNumber, hash: meta.get("head_block_hash") ?? null },
    hasIndexingErrors: meta.get("has_indexing_errors") === "true" || fatalError !== null,
    fatalError,
    startBlock: decimalOrNull(meta.get("start_block")) ?? 0,
    network: meta.get("network") ?? "",
    synced: meta.get("synced") === "true",
  };
}

export interface StoredBlock {
  number: number;
  hash: string;
  parentHash: string;
  timestamp: number | null;
}

function hasTimestampColumn(db: Database): boolean {
  const columns = db.prepare("SELECT name FROM pragma_table_info('_blocks')").all() as {
    name: string;
  }[];
  return columns.some((c) => c.name === "timestamp");
}

const timestampColumnCache = new WeakMap<Database, boolean>();

function blockColumns(db: Database): string {
  let has = timestampColumnCache.get(db);
  if (has === undefined) {
    has = hasTimestampColumn(db);
    timestampColumnCache.set(db, has);
  }
  return `number, hash, parent_hash AS parentHash${has ? ", timestamp" : ", NULL AS timestamp"}`;
}

/** A processed block by hash (hash compared in lowercase), or null. */
export function findBlockByHash(db: Database, hash: string): StoredBlock | null {
  const row = db
    .prepare(`SELECT ${blockColumns(db)} FROM _blocks WHERE lower(hash) = ? LIMIT 1`)
    .get(hash.toLowerCase()) as StoredBlock | undefined;
  return row ?? null;
}

/** A processed block by number, or null when it is not (or no longer) recorded. */
export function findBlockByNumber(db: Database, number: number): StoredBlock | null {
  const row = db.prepare(`SELECT ${blockColumns(db)} FROM _blocks WHERE number = ?`).get(number) as
    StoredBlock | undefined;
  return row ?? null;
}
