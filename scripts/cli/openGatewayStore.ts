import type { Database } from "better-sqlite3";
import { CliUsageError } from "./errors.ts";

export interface OpenGatewayStoreOptions {
  /** Open without migrating or writing; a missing store is then a usage error. */
  readonly?: boolean | undefined;
  /** Tables the command needs, with the migration that makes each (named in the error). */
  requireTables?: readonly { table: string; migration: string }[] | undefined;
}

/**
 * Opens the gateway's SQLite store for a command (the one place commands do
 * it): imported lazily so `ei --help` does not load SQLite, migrated unless
 * read-only, and refused with what to do when it is missing or lacks a table
 * the command needs. The caller closes it.
 */
export async function openGatewayStore(
  dataDir: string,
  options: OpenGatewayStoreOptions = {},
): Promise<Database> {
  const { openStore } = await import("@energy-intelligence/oracle/store/openStore");
  let db: Database;
  try {
    db = openStore({ dataDir, readonly: options.readonly === true });
  } catch (cause) {
    if (options.readonly !== true) throw cause;
    throw new CliUsageError(
      `no gateway store in ${dataDir}`,
      "Pass --data-dir of the gateway's data directory (it holds gateway.sqlite).",
      { cause },
    );
  }
  for (const { table, migration } of options.requireTables ?? []) {
    const has =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
      undefined;
    if (!has) {
      db.close();
      throw new CliUsageError(
        `the gateway store in ${dataDir} has no ${table} table`,
        `Run a gateway version with migration ${migration} first.`,
      );
    }
  }
  return db;
}
