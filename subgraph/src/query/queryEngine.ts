/**
 * Parses, validates and executes one GraphQL request against the entity store
 * and shapes the answer as graph-node does: `{ data }` on success, `{ errors }`
 * (no data) when validation or execution fails, and `indexing_error` with the
 * data withheld when the deployment has indexing errors and the query did not
 * ask for `subgraphError: allow`.
 */
import type { Database } from "better-sqlite3";
import {
  execute,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from "graphql";
import { buildQuerySchema, type QueryContext } from "./buildQuerySchema.ts";
import { EntityReader } from "./entityReader.ts";
import { INDEXING_ERROR_MESSAGE, QueryExecutionError } from "./queryErrors.ts";
import type { EntitySchema } from "./readEntitySchema.ts";
import { readStoreState } from "./storeState.ts";

export interface GraphQLRequest {
  query: string;
  variables?: Readonly<Record<string, unknown>> | null;
  operationName?: string | null;
}

export interface ResponseError {
  message: string;
  locations?: { line: number; column: number }[];
}

/** graph-node's response body: `data` and/or `errors`, never both absent. */
export interface QueryResponse {
  data?: Record<string, unknown>;
  errors?: ResponseError[];
}

function located(error: GraphQLError): ResponseError {
  const locations = error.locations?.map(({ line, column }) => ({ line, column }));
  return locations === undefined || locations.length === 0
    ? { message: error.message }
    : { message: error.message, locations };
}

/** An execution error as graph-node words it: its own errors bare, store failures prefixed. */
function executionError(error: GraphQLError): ResponseError {
  const original = error.cause;
  if (original instanceof QueryExecutionError) return { message: original.message };
  if (original instanceof Error && original.name === "SqliteError") {
    return { message: `Store error: ${original.message}` };
  }
  return located(error);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Parsed and validated documents kept per query text (dashboards repeat the same few). */
const DOCUMENT_CACHE_SIZE = 256;

export class QueryEngine {
  readonly schema: GraphQLSchema;
  readonly db: Database;
  readonly entitySchema: EntitySchema;
  private readonly reader: EntityReader;
  private readonly documents = new Map<string, DocumentNode>();

  constructor(db: Database, entitySchema: EntitySchema) {
    this.db = db;
    this.entitySchema = entitySchema;
    this.schema = buildQuerySchema(entitySchema);
    this.reader = new EntityReader(db, entitySchema);
  }

  /** Runs one request; never throws for bad input (the errors are in the response). */
  execute(request: GraphQLRequest): QueryResponse {
    let document = this.documents.get(request.query);
    if (document === undefined) {
      try {
        document = parse(request.query);
      } catch (error) {
        if (error instanceof GraphQLError) return { errors: [located(error)] };
        throw error;
      }
      const validationErrors = validate(this.schema, document);
      if (validationErrors.length > 0) return { errors: validationErrors.map(located) };
      if (this.documents.size >= DOCUMENT_CACHE_SIZE) this.documents.clear();
      this.documents.set(request.query, document);
    }
    const parsed = document;

    // One read transaction: every statement of the query sees the same snapshot, so
    // "latest" is one block even while the indexer commits (WAL readers never block it).
    const run = (): QueryResponse => this.executeDocument(parsed, request);
    if (this.db.inTransaction) return run();
    return this.db.transaction(run).deferred();
  }

  private executeDocument(document: DocumentNode, request: GraphQLRequest): QueryResponse {
    const context: QueryContext = {
      reader: this.reader,
      state: readStoreState(this.db),
      outcomes: [],
      byIdCache: new Map(),
    };
    const result = execute({
      schema: this.schema,
      document,
      contextValue: context,
      variableValues: request.variables ?? null,
      operationName: request.operationName ?? null,
    });
    if (isThenable(result)) {
      // Every resolver is synchronous; a promise here is a bug, not bad input.
      throw new Error("query execution did not complete synchronously");
    }
    return this.shape(result, context);
  }

  private shape(result: ExecutionResult, context: QueryContext): QueryResponse {
    if (result.errors !== undefined && result.errors.length > 0) {
      return { errors: result.errors.map(executionError) };
    }
    const data: Record<string, unknown> = { ...(result.data ?? {}) };
    const failing = context.outcomes.filter((o) => o.indexingErrors);
    if (failing.length === 0) return { data };
    // graph-node: with indexing errors the data of `subgraphError: deny` fields is
    // withheld (only _meta and introspection stay) and `indexing_error` is reported.
    for (const outcome of failing) {
      if (!outcome.allowErrors) Reflect.deleteProperty(data, outcome.responseKey);
    }
    const errors = [{ message: INDEXING_ERROR_MESSAGE }];
    return Object.keys(data).length === 0 ? { errors } : { data, errors };
  }
}
