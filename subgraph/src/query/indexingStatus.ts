/**
 * graph-node's index-node status API (server/index-node: `indexingStatuses`,
 * `indexingStatusForCurrentVersion`, `indexingStatusesForSubgraphName`, …) over the embedded
 * store, through graphql-js, with graph-node's type and field names and value shapes, so status
 * tooling written for graph-node (health checks, dashboards, CI gates) reads the embedded indexer
 * unchanged. graph-node serves it on its index-node port (8030) at `/graphql`; queryServer.ts
 * serves it at `/graphql` on the query port.
 *
 * Value shapes follow graph-node's resolver, inconsistencies included: `latestBlock.number`,
 * `chainHeadBlock.number` and `entityCount` are decimal strings, while `fatalError.block.number`
 * and `earliestBlock.number` are JSON numbers (both are typed `BigInt` in its schema).
 */
import type { Database } from "better-sqlite3";
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLError,
  GraphQLInt,
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLNullableType,
} from "graphql";
import type { GraphQLRequest, QueryResponse, ResponseError } from "./queryEngine.ts";
import type { EntitySchema } from "./readEntitySchema.ts";
import { readStoreState, type StoreState } from "./storeState.ts";

/** A block of the chain being indexed. */
export interface ChainBlock {
  number: number;
  hash: string;
}

export interface IndexingStatusOptions {
  db: Database;
  entitySchema: EntitySchema;
  /** The subgraph name served at /subgraphs/name/<name>. */
  name: string;
  /** The indexing node's id (graph-node's `--node-id`, whose default is `default`). */
  node?: string;
  /** The chain's head as the indexer's RPC endpoint sees it; omitted: `chainHeadBlock` is null. */
  chainHead?: () => Promise<ChainBlock | null>;
  /** How long a status query waits for `chainHead` before answering `chainHeadBlock: null`. */
  chainHeadTimeoutMs?: number;
}

/** graph-node keeps all history unless pruning is configured: its `historyBlocks` is then i32::MAX. */
const FULL_HISTORY_BLOCKS = 2_147_483_647;

/** A request graph-node's index node refuses before running it (a 400 with a plain-text body). */
export class StatusRequestError extends Error {
  override name = "StatusRequestError";
  /** `client`: the body is not a request; `query`: the query does not parse. */
  readonly kind: "client" | "query";
  constructor(kind: "client" | "query", message: string) {
    super(message);
    this.kind = kind;
  }
}

// Output values are produced in graph-node's shapes by the resolvers below; the scalars pass them on.
const passThrough = (value: unknown): unknown => value;
const BigIntScalar = new GraphQLScalarType({
  name: "BigInt",
  coerceOutputValue: passThrough,
  coerceInputValue: passThrough,
});
const BytesScalar = new GraphQLScalarType({
  name: "Bytes",
  coerceOutputValue: passThrough,
  coerceInputValue: passThrough,
});

const HealthEnum = new GraphQLEnumType({
  name: "Health",
  values: {
    healthy: { description: "Subgraph syncing normally" },
    unhealthy: { description: "Subgraph syncing but with errors" },
    failed: { description: "Subgraph halted due to errors" },
  },
});

const nonNull = <T extends GraphQLNullableType>(type: T) => new GraphQLNonNull(type);

const BlockType = new GraphQLObjectType({
  name: "Block",
  fields: { hash: { type: nonNull(BytesScalar) }, number: { type: nonNull(BigIntScalar) } },
});

const EarliestBlockType = new GraphQLObjectType({
  name: "EarliestBlock",
  fields: {
    hash: {
      type: nonNull(BytesScalar),
      deprecationReason: "hash will always be reported as 0x0.",
    },
    number: { type: nonNull(BigIntScalar) },
  },
});

const SubgraphErrorType = new GraphQLObjectType({
  name: "SubgraphError",
  fields: {
    message: { type: nonNull(GraphQLString) },
    block: { type: BlockType },
    handler: { type: GraphQLString },
    deterministic: { type: nonNull(GraphQLBoolean) },
  },
});

const chainFields = () => ({
  network: { type: nonNull(GraphQLString) },
  chainHeadBlock: { type: BlockType },
  earliestBlock: { type: EarliestBlockType },
  latestBlock: { type: BlockType },
  lastHealthyBlock: { type: BlockType },
});

const ChainIndexingStatusType = new GraphQLInterfaceType({
  name: "ChainIndexingStatus",
  fields: chainFields,
  resolveType: () => "EthereumIndexingStatus",
});

const EthereumIndexingStatusType = new GraphQLObjectType({
  name: "EthereumIndexingStatus",
  interfaces: [ChainIndexingStatusType],
  fields: chainFields,
});

const SubgraphIndexingStatusType = new GraphQLObjectType({
  name: "SubgraphIndexingStatus",
  fields: {
    subgraph: { type: nonNull(GraphQLString) },
    synced: { type: nonNull(GraphQLBoolean) },
    health: { type: nonNull(HealthEnum) },
    fatalError: {
      type: SubgraphErrorType,
      description: "If the subgraph has failed, this is the error caused it",
    },
    nonFatalErrors: {
      type: nonNull(new GraphQLList(nonNull(SubgraphErrorType))),
      description: "Sorted from first to last, limited to first 1000",
    },
    chains: { type: nonNull(new GraphQLList(nonNull(ChainIndexingStatusType))) },
    entityCount: { type: nonNull(BigIntScalar) },
    node: {
      type: GraphQLString,
      description: "null if deployment is not assigned to an indexing node",
    },
    paused: {
      type: GraphQLBoolean,
      description: "null if deployment is not assigned to an indexing node",
    },
    historyBlocks: { type: nonNull(GraphQLInt) },
  },
});

/** What one request's resolvers read: the status of the one deployment this server has. */
interface StatusContext {
  status: () => IndexingStatus;
  name: string;
}

const subgraphName = { subgraphName: { type: nonNull(GraphQLString) } };

const QueryType = new GraphQLObjectType<unknown, StatusContext>({
  name: "Query",
  fields: {
    indexingStatusForCurrentVersion: {
      type: SubgraphIndexingStatusType,
      args: subgraphName,
      resolve: (_root, args: { subgraphName: string }, context) =>
        args.subgraphName === context.name ? context.status() : null,
    },
    // The embedded host deploys no versions beside the current one.
    indexingStatusForPendingVersion: {
      type: SubgraphIndexingStatusType,
      args: subgraphName,
      resolve: () => null,
    },
    indexingStatusesForSubgraphName: {
      type: nonNull(new GraphQLList(nonNull(SubgraphIndexingStatusType))),
      args: subgraphName,
      resolve: (_root, args: { subgraphName: string }, context) =>
        args.subgraphName === context.name ? [context.status()] : [],
    },
    indexingStatuses: {
      type: nonNull(new GraphQLList(nonNull(SubgraphIndexingStatusType))),
      args: { subgraphs: { type: new GraphQLList(nonNull(GraphQLString)) } },
      // As in graph-node, no list (or an empty one) means every deployment on the node.
      resolve: (_root, args: { subgraphs?: readonly string[] | null }, context) => {
        const status = context.status();
        const wanted = args.subgraphs ?? [];
        return wanted.length === 0 || wanted.includes(status.subgraph) ? [status] : [];
      },
    },
  },
});

/** The index-node schema this module serves (a subset of graph-node's: no proofs of indexing). */
export const INDEXING_STATUS_SCHEMA = new GraphQLSchema({
  query: QueryType,
  types: [EthereumIndexingStatusType],
});

interface SubgraphErrorValue {
  message: string;
  block: { number: number; hash: string } | null;
  handler: string | null;
  deterministic: boolean;
}

interface IndexingStatus {
  subgraph: string;
  synced: boolean;
  health: "healthy" | "unhealthy" | "failed";
  fatalError: SubgraphErrorValue | null;
  nonFatalErrors: SubgraphErrorValue[];
  chains: {
    network: string;
    chainHeadBlock: () => Promise<{ number: string; hash: string } | null>;
    earliestBlock: { number: number; hash: string };
    latestBlock: { number: string; hash: string } | null;
    lastHealthyBlock: null;
  }[];
  entityCount: () => string;
  node: string;
  paused: boolean;
  historyBlocks: number;
}

function located(error: GraphQLError): ResponseError {
  const locations = error.locations?.map(({ line, column }) => ({ line, column }));
  return locations === undefined || locations.length === 0
    ? { message: error.message }
    : { message: error.message, locations };
}

/** A block with a known hash in graph-node's shape (`number` as `format` writes it), else null. */
function blockOrNull<N>(
  block: { number: number; hash: string | null } | null,
  format: (number: number) => N,
): { number: N; hash: string } | null {
  if (block?.hash == null) return null;
  return { number: format(block.number), hash: block.hash };
}

/** Current entities of every type, as graph-node's `entityCount` counts them. */
function countEntities(db: Database, entitySchema: EntitySchema): number {
  let total = 0;
  for (const type of entitySchema.types) {
    const table = `"${type.name.replaceAll('"', '""')}"`;
    const row = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE block_to IS NULL`).get() as
      { n: number } | undefined;
    total += row?.n ?? 0;
  }
  return total;
}

/** Waits at most `ms` for the chain head; an unreachable RPC endpoint reads as unknown. */
async function headWithin(
  provider: () => Promise<ChainBlock | null>,
  ms: number,
): Promise<ChainBlock | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      provider(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => {
          resolve(null);
        }, ms);
      }),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Parses, validates and runs index-node status queries against the store. */
export class IndexingStatusApi {
  readonly #options: IndexingStatusOptions;

  constructor(options: IndexingStatusOptions) {
    this.#options = options;
  }

  /**
   * Runs one request. A query that does not parse is a StatusRequestError (graph-node answers it
   * with a 400); validation and execution errors are in the response, as graph-node puts them.
   */
  async execute(request: GraphQLRequest): Promise<QueryResponse> {
    let document: DocumentNode;
    try {
      document = parse(request.query);
    } catch (error) {
      if (error instanceof GraphQLError) throw new StatusRequestError("query", error.message);
      throw error;
    }
    const validationErrors = validate(INDEXING_STATUS_SCHEMA, document);
    if (validationErrors.length > 0) return { errors: validationErrors.map(located) };
    let status: IndexingStatus | null = null;
    const context: StatusContext = {
      name: this.#options.name,
      status: () => (status ??= this.#status(readStoreState(this.#options.db))),
    };
    const result = await execute({
      schema: INDEXING_STATUS_SCHEMA,
      document,
      contextValue: context,
      variableValues: request.variables ?? null,
      operationName: request.operationName ?? null,
    });
    if (result.errors !== undefined && result.errors.length > 0) {
      return { errors: result.errors.map(located) };
    }
    return { data: { ...(result.data ?? {}) } };
  }

  #status(state: StoreState): IndexingStatus {
    const { db, entitySchema, chainHead } = this.#options;
    const fatalError: SubgraphErrorValue | null =
      state.fatalError === null
        ? null
        : {
            message: state.fatalError.message,
            block: blockOrNull(state.fatalError.block, (number) => number),
            handler: state.fatalError.handler,
            deterministic: state.fatalError.deterministic,
          };
    let head: Promise<{ number: string; hash: string } | null> | null = null;
    const timeoutMs = this.#options.chainHeadTimeoutMs ?? 2000;
    return {
      subgraph: state.deployment === "" ? this.#options.name : state.deployment,
      synced: state.synced,
      health: fatalError !== null ? "failed" : state.hasIndexingErrors ? "unhealthy" : "healthy",
      fatalError,
      // Always empty, honestly: the indexer refuses a manifest declaring `features: [nonFatalErrors]`
      // (manifestFeatures.ts), so every handler error is fatal and reported in `fatalError`.
      nonFatalErrors: [],
      chains: [
        {
          network: state.network,
          chainHeadBlock: () =>
            (head ??=
              chainHead === undefined
                ? Promise.resolve(null)
                : headWithin(chainHead, timeoutMs).then((block) =>
                    block === null ? null : { number: String(block.number), hash: block.hash },
                  )),
          earliestBlock: { number: state.startBlock, hash: "0x0" },
          latestBlock: blockOrNull(state.head, String),
          lastHealthyBlock: null,
        },
      ],
      entityCount: () => String(countEntities(db, entitySchema)),
      node: this.#options.node ?? "default",
      paused: false,
      historyBlocks: FULL_HISTORY_BLOCKS,
    };
  }
}
