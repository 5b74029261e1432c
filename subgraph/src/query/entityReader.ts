/**
 * Runs compiled entity queries on the store with cached prepared statements
 * and turns rows into the objects the GraphQL resolvers read.
 */
import type { Database, Statement } from "better-sqlite3";
import {
  compileByIdQuery,
  compileCollectionQuery,
  type BlockScope,
  type CollectionQuery,
  type CompiledQuery,
} from "./compileEntityQuery.ts";
import type { EntitySchema, EntityType } from "./readEntitySchema.ts";

/** One entity version as the resolvers see it. */
export class EntityObject {
  readonly type: EntityType;
  /** The block it was read at; nested fields read at the same block. */
  readonly block: BlockScope;
  readonly values: Readonly<Record<string, unknown>>;

  constructor(type: EntityType, block: BlockScope, values: Readonly<Record<string, unknown>>) {
    this.type = type;
    this.block = block;
    this.values = values;
  }

  get id(): string {
    return String(this.values.id);
  }
}

interface Row {
  id: string;
  data: string;
}

const STATEMENT_CACHE_SIZE = 512;

/** True when `hex` holds `needle` at a byte boundary (both 0x-hex strings). */
function bytesContains(hex: unknown, needle: unknown): number | null {
  if (typeof hex !== "string" || typeof needle !== "string") return null;
  const hay = hex.toLowerCase().replace(/^0x/, "");
  const part = needle.toLowerCase().replace(/^0x/, "");
  for (let at = hay.indexOf(part); at !== -1; at = hay.indexOf(part, at + 1)) {
    if (at % 2 === 0) return 1;
  }
  return 0;
}

const preparedDatabases = new WeakSet<Database>();

/** Registers the SQL functions compiled queries call (once per connection). */
export function registerQueryFunctions(db: Database): void {
  if (preparedDatabases.has(db)) return;
  db.function("ei_bytes_contains", { deterministic: true }, bytesContains);
  preparedDatabases.add(db);
}

export class EntityReader {
  private readonly statements = new Map<string, Statement>();
  readonly db: Database;
  readonly schema: EntitySchema;

  constructor(db: Database, schema: EntitySchema) {
    this.db = db;
    this.schema = schema;
    registerQueryFunctions(db);
  }

  private run(query: CompiledQuery): Row[] {
    let statement = this.statements.get(query.sql);
    if (statement === undefined) {
      statement = this.db.prepare(query.sql);
      // A crude bound: filter shapes vary, the common ones come back soon.
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      this.statements.set(query.sql, statement);
    }
    const named = Object.keys(query.params).length > 0;
    return (named ? statement.all(query.params) : statement.all()) as Row[];
  }

  private toObject(type: EntityType, block: BlockScope, row: Row): EntityObject {
    const values = JSON.parse(row.data) as Record<string, unknown>;
    values.id = row.id;
    return new EntityObject(type, block, values);
  }

  /** The version of `type` with `id` visible at `block`, or null. */
  byId(type: EntityType, id: string, block: BlockScope): EntityObject | null {
    const rows = this.run(compileByIdQuery(this.schema, type, id, block));
    const row = rows[0];
    return row === undefined ? null : this.toObject(type, block, row);
  }

  /** The page of a collection (root or nested) that the arguments select. */
  collection(query: CollectionQuery): EntityObject[] {
    if (query.first === 0) return [];
    return this.run(compileCollectionQuery(this.schema, query)).map((row) =>
      this.toObject(query.type, query.block, row),
    );
  }

  /** The SQL a collection query runs (for tests and the bench's baseline). */
  explain(query: CollectionQuery): CompiledQuery {
    return compileCollectionQuery(this.schema, query);
  }
}
