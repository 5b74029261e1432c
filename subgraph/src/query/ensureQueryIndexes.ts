/**
 * Expression indexes the query side needs on the entity store:
 *
 * - one per stored single reference, `(json_extract(data, '$.site'), block_to, id)`:
 *   filters like `where: { site: … }` in id order, derived fields
 *   (`site.containers`) and child filters;
 * - for the dashboard's "children of X, newest first" pages, the same plus
 *   the sort key of the ordering field (`SORTED_CHILD_INDEXES`), so SQLite
 *   reads the first page in index order instead of parsing and sorting every
 *   child's JSON (10,000 containers of one site: ~150 ms → well under 1 ms).
 *
 * graph-node indexes every attribute; here every index also costs the
 * indexer a JSON extraction per write, so only these are kept. The index
 * expressions must be written exactly as compileEntityQuery writes them
 * (`fieldSql`, `sortKeySql`), or SQLite will not use them.
 */
import type { Database } from "better-sqlite3";
import { fieldSql, sortKeySql, tableName } from "./compileEntityQuery.ts";
import type { EntitySchema } from "./readEntitySchema.ts";

/** [entity type, reference filtered on, field ordered by]: the dashboard's sorted pages. */
export const SORTED_CHILD_INDEXES: readonly (readonly [string, string, string])[] = [
  ["Container", "site", "periodStart"],
  ["Container", "stream", "periodStart"],
  ["SiteDailyEnergy", "site", "day"],
  ["MachineDailyEnergy", "machine", "day"],
  ["DeviceDailyEnergy", "device", "day"],
  ["ProductLot", "product", "mintedAtBlock"],
  // The dapp's product page lists a product's lots oldest first by mint time.
  ["ProductLot", "product", "mintedAtTimestamp"],
  ["ProductLot", "site", "mintedAtBlock"],
  ["Job", "site", "startedAt"],
  ["JobStamp", "job", "time"],
  ["LotTransfer", "lot", "blockNumber"],
];

/** CREATE INDEX statements for `schema` (idempotent: IF NOT EXISTS). */
export function queryIndexStatements(
  schema: EntitySchema,
  sorted: readonly (readonly [string, string, string])[] = SORTED_CHILD_INDEXES,
): string[] {
  const statements: string[] = [];
  for (const type of schema.types) {
    for (const field of type.fields) {
      if (field.kind !== "reference" || field.list || field.derivedFrom !== null) continue;
      const name = tableName(`${type.name}_by_${field.name}`);
      statements.push(
        `CREATE INDEX IF NOT EXISTS ${name} ON ${tableName(type)} (${fieldSql("", field)}, block_to, id)`,
      );
    }
  }
  for (const [typeName, referenceName, sortName] of sorted) {
    const type = schema.typesByName.get(typeName);
    const reference = type?.fieldsByName.get(referenceName);
    const sort = type?.fieldsByName.get(sortName);
    // Entries for another schema (or a renamed field) are skipped, not errors.
    if (type === undefined || reference?.kind !== "reference" || reference.list) continue;
    if (sort === undefined || sort.list || sort.kind !== "scalar") continue;
    const key = sortKeySql(fieldSql("", sort), sort.scalar, !sort.nonNull);
    const name = tableName(`${typeName}_by_${referenceName}_${sortName}`);
    statements.push(
      `CREATE INDEX IF NOT EXISTS ${name} ON ${tableName(type)} (${fieldSql("", reference)}, block_to, ${key}, id)`,
    );
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
