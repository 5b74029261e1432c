/**
 * Expression indexes the query side needs on the entity store: one per stored
 * single reference (`json_extract(data, '$.site')`), paired with `block_to` so
 * the current-version test is answered from the index too. They serve the
 * dashboard filters (`where: { site: … }`), derived fields (`site.containers`)
 * and child filters. graph-node creates the equivalent btree indexes on every
 * attribute; here only references get one, the scans left are over one
 * parent's children.
 *
 * The index expression must be written exactly as compileEntityQuery writes
 * the column (`fieldSql`), or SQLite will not use it.
 */
import type { Database } from "better-sqlite3";
import { fieldSql, tableName } from "./compileEntityQuery.ts";
import type { EntitySchema } from "./readEntitySchema.ts";

/** Index names and DDL for `schema` (idempotent: IF NOT EXISTS). */
export function queryIndexStatements(schema: EntitySchema): string[] {
  const statements: string[] = [];
  for (const type of schema.types) {
    for (const field of type.fields) {
      if (field.kind !== "reference" || field.list || field.derivedFrom !== null) continue;
      const name = tableName(`${type.name}_${field.name}_query`);
      const column = fieldSql("", field);
      statements.push(
        `CREATE INDEX IF NOT EXISTS ${name} ON ${tableName(type)} (${column}, block_to)`,
      );
    }
  }
  return statements;
}

/** Creates the query indexes on a writable connection (fast when they exist). */
export function ensureQueryIndexes(db: Database, schema: EntitySchema): void {
  const statements = queryIndexStatements(schema);
  db.transaction(() => {
    for (const statement of statements) db.exec(statement);
  })();
}
