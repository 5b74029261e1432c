import type { Database } from "better-sqlite3";
import { InvariantError } from "@energy-intelligence/sdk";
import type { Migration } from "./migration.ts";

/**
 * Brings the schema to `targetVersion` (default: the latest), applying `up`
 * or `down` steps one transaction each, and records them in
 * `schema_migrations`. Returns the version reached.
 *
 * @example
 * ```ts
 * migrate(db, migrations); // latest
 * migrate(db, migrations, 1); // undo everything after 1
 * ```
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
  targetVersion?: number,
): number {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new InvariantError(
        `migration ${migration.name} has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL) STRICT",
  );
  const current = (): number =>
    (
      db.prepare("SELECT coalesce(max(version), 0) AS v FROM schema_migrations").get() as {
        v: number;
      }
    ).v;
  const target = targetVersion ?? migrations.length;
  if (current() > migrations.length) {
    throw new InvariantError(
      `the store's schema is version ${current()}, newer than this gateway knows (${migrations.length})`,
      { hints: ["Run the newer gateway, or restore a backup made by this version."] },
    );
  }
  while (current() < target) {
    const migration = migrations[current()];
    if (migration === undefined) break;
    db.transaction(() => {
      db.exec(migration.up);
      db.prepare(
        "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)",
      ).run(migration.version, migration.name, Date.now());
    })();
  }
  while (current() > target) {
    const migration = migrations[current() - 1];
    if (migration === undefined) break;
    db.transaction(() => {
      db.exec(migration.down);
      db.prepare("DELETE FROM schema_migrations WHERE version = ?").run(migration.version);
    })();
  }
  return current();
}
