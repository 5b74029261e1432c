import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { migrate } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";

export const STORE_FILE_NAME = "gateway.sqlite";

export interface OpenStoreOptions {
  /** Directory holding `gateway.sqlite` (created if missing). */
  dataDir: string;
  /** Open without migrating or writing (e.g. `ei device list`, backups). */
  readonly?: boolean;
}

/**
 * The pragmas every connection to the store uses, also by the ingest benchmark's
 * raw ceiling so the two measure the same thing. WAL lets readers run beside the
 * one writer; synchronous=FULL fsyncs the WAL at every commit, because an edge box
 * loses power and an acknowledged reading must survive that.
 */
export function applyStorePragmas(db: Database): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  // `ei device add` and the gateway write the same file; wait rather than fail.
  db.pragma("busy_timeout = 5000");
}

/**
 * Opens (creating and migrating as needed) the gateway's SQLite store.
 *
 * @example
 * ```ts
 * const db = openStore({ dataDir: "./data" });
 * ```
 */
export function openStore(options: OpenStoreOptions): Database {
  if (options.readonly !== true) mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, STORE_FILE_NAME);
  const db = new BetterSqlite3(file, {
    readonly: options.readonly === true,
    fileMustExist: options.readonly === true,
  });
  if (options.readonly === true) {
    db.pragma("busy_timeout = 5000");
    return db;
  }
  applyStorePragmas(db);
  migrate(db, migrations);
  return db;
}
