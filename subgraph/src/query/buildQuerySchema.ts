/**
 * The GraphQL API graph-node derives from a subgraph's schema.graphql
 * (graph/src/schema/api.rs), built for graphql-js with resolvers that read the
 * embedded entity store:
 *
 * - per entity type `X`: `x(id, block, subgraphError)` and
 *   `xs(skip, first, orderBy, orderDirection, where, block, subgraphError)`;
 * - `X_filter` with graph-node's operators per field type, `field_` child
 *   filters, `_change_block`, `and`, `or`;
 * - `X_orderBy` with every field plus `field__child` for single references;
 * - list reference fields take `skip, first, orderBy, orderDirection, where`;
 * - `_meta(block) { block { number hash timestamp parentHash } deployment hasIndexingErrors }`.
 */
import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLEnumValueConfigMap,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLNullableInputType,
  type GraphQLNullableOutputType,
  type GraphQLOutputType,
} from "graphql";
import type { BlockScope, OrderDirection, ParentScope } from "./compileEntityQuery.ts";
import { EntityObject, type EntityReader } from "./entityReader.ts";
import { filterKeys } from "./filterOperators.ts";
import { ambiguousDerivedResult, QueryExecutionError, rangeArgumentError } from "./queryErrors.ts";
import type {
  EntityField,
  EntitySchema,
  EntityScalar,
  EntityType,
  ReferenceField,
} from "./readEntitySchema.ts";
import {
  hasIndexingErrorsAt,
  resolveBlock,
  type BlockArgument,
  type ResolvedBlock,
} from "./resolveBlock.ts";
import { rootFieldNames } from "./rootFieldNames.ts";
import {
  BigDecimalScalar,
  BigIntScalar,
  BytesScalar,
  Int8Scalar,
  TimestampScalar,
} from "./scalars.ts";
import { findBlockByHash, findBlockByNumber, type StoreState } from "./storeState.ts";

/** graph-node's defaults (GRAPH_GRAPHQL_MAX_FIRST, GRAPH_GRAPHQL_MAX_SKIP). */
export const DEFAULT_FIRST = 100;
export const MAX_FIRST = 1000;
export const MAX_SKIP = 5000;

/** What one root field saw, for the indexing-error rule applied after execution. */
export interface RootFieldOutcome {
  responseKey: string;
  indexingErrors: boolean;
  allowErrors: boolean;
}

/** Per-request state handed to every resolver. */
export interface QueryContext {
  reader: EntityReader;
  state: StoreState;
  outcomes: RootFieldOutcome[];
  /** by-id lookups repeated within one request (e.g. the same site under many containers). */
  byIdCache: Map<string, EntityObject | null>;
}

interface CollectionArgs {
  skip?: number | null;
  first?: number | null;
  orderBy?: string | null;
  orderDirection?: OrderDirection | null;
  where?: Record<string, unknown> | null;
  block?: BlockArgument | null;
  subgraphError?: "allow" | "deny";
}

interface SingleArgs {
  id: string;
  block?: BlockArgument | null;
  subgraphError?: "allow" | "deny";
}

const SCALAR_TYPES: Record<EntityScalar, GraphQLScalarType> = {
  ID: GraphQLID,
  String: GraphQLString,
  Bytes: BytesScalar,
  BigInt: BigIntScalar,
  BigDecimal: BigDecimalScalar,
  Int: GraphQLInt,
  Int8: Int8Scalar,
  Timestamp: TimestampScalar,
  Boolean: GraphQLBoolean,
};

const OrderDirectionEnum = new GraphQLEnumType({
  name: "OrderDirection",
  description: "Defines the order direction, either ascending or descending",
  values: { asc: {}, desc: {} },
});

const SubgraphErrorPolicyEnum = new GraphQLEnumType({
  name: "_SubgraphErrorPolicy_",
  values: {
    allow: { description: "Data will be returned even if the subgraph has indexing errors" },
    deny: {
      description: "If the subgraph has indexing errors, data will be omitted. The default.",
    },
  },
});

const BlockHeightInput = new GraphQLInputObjectType({
  name: "Block_height",
  description: "The block at which the query should be executed.",
  fields: {
    hash: { type: BytesScalar, description: "Value containing a block hash" },
    number: { type: GraphQLInt, description: "Value containing a block number" },
    number_gte: {
      type: GraphQLInt,
      description:
        "Value containing the minimum block number. In the case of `number_gte`, the query will be executed on the latest block only if the subgraph has progressed to or past the minimum block number. Defaults to the latest block when omitted.",
    },
  },
});

const BlockChangedFilterInput = new GraphQLInputObjectType({
  name: "BlockChangedFilter",
  fields: { number_gte: { type: new GraphQLNonNull(GraphQLInt) } },
});

interface MetaBlock {
  hash: string | null;
  number: number;
  timestamp: number | null;
  parentHash: string | null;
}

const BlockType = new GraphQLObjectType<MetaBlock>({
  name: "_Block_",
  fields: {
    hash: { type: BytesScalar, description: "The hash of the block" },
    number: { type: new GraphQLNonNull(GraphQLInt), description: "The block number" },
    timestamp: {
      type: GraphQLInt,
      description: "Integer representation of the timestamp stored in blocks for the chain",
    },
    parentHash: { type: BytesScalar, description: "The hash of the parent block" },
  },
});

interface MetaValue {
  block: MetaBlock;
  deployment: string;
  hasIndexingErrors: boolean;
}

const MetaType = new GraphQLObjectType<MetaValue>({
  name: "_Meta_",
  description: "The type for the top-level _meta field",
  fields: {
    block: { type: new GraphQLNonNull(BlockType) },
    deployment: { type: new GraphQLNonNull(GraphQLString), description: "The deployment ID" },
    hasIndexingErrors: {
      type: new GraphQLNonNull(GraphQLBoolean),
      description: "If `true`, the subgraph encountered indexing errors at some past block",
    },
  },
});

/** An output type as the entity schema wraps it (lists of non-null items, like graph-node). */
function wrapOutput(type: GraphQLOutputType, list: boolean, nonNull: boolean): GraphQLOutputType {
  const inner: GraphQLOutputType = list
    ? new GraphQLList(new GraphQLNonNull(type as GraphQLNullableOutputType))
    : type;
  return nonNull ? new GraphQLNonNull(inner as GraphQLNullableOutputType) : inner;
}

/** `[T!]` for list-valued filter keys. */
function listOf(type: GraphQLInputType): GraphQLInputType {
  return new GraphQLList(new GraphQLNonNull(type as GraphQLNullableInputType));
}

function checkRange(argument: "first" | "skip", value: number, max: number): void {
  if (value < 0 || value > max) throw rangeArgumentError(argument, max, value);
}

/** Builds the query schema; `reader`-independent, so one schema serves every request. */
export function buildQuerySchema(schema: EntitySchema): GraphQLSchema {
  const enumTypes = new Map<string, GraphQLEnumType>();
  for (const [name, values] of schema.enums) {
    enumTypes.set(
      name,
      new GraphQLEnumType({ name, values: Object.fromEntries(values.map((v) => [v, {}])) }),
    );
  }
  const objectTypes = new Map<string, GraphQLObjectType<EntityObject, QueryContext>>();
  const filterTypes = new Map<string, GraphQLInputObjectType>();
  const orderByTypes = new Map<string, GraphQLEnumType>();

  const typeOf = (name: string): EntityType => {
    const type = schema.typesByName.get(name);
    if (type === undefined) throw new Error(`unknown entity type ${name}`);
    return type;
  };

  const valueType = (scalar: EntityScalar | "enum", field: EntityField): GraphQLInputType => {
    if (scalar === "enum") {
      const enumName = field.kind === "enum" ? field.enumName : "";
      const type = enumTypes.get(enumName);
      if (type === undefined) throw new Error(`unknown enum ${enumName}`);
      return type;
    }
    return SCALAR_TYPES[scalar];
  };

  for (const type of schema.types) {
    orderByTypes.set(
      type.name,
      new GraphQLEnumType({ name: `${type.name}_orderBy`, values: orderByValues(schema, type) }),
    );
    filterTypes.set(
      type.name,
      new GraphQLInputObjectType({
        name: `${type.name}_filter`,
        fields: (): GraphQLInputFieldConfigMap => {
          const fields: GraphQLInputFieldConfigMap = {};
          for (const [name, key] of filterKeys(schema, type)) {
            switch (key.kind) {
              case "scalar": {
                const value = valueType(key.valueScalar, key.field);
                const isList = key.operator === "in" || key.operator === "not_in";
                fields[name] = { type: isList ? listOf(value) : value };
                break;
              }
              case "list":
                fields[name] = { type: listOf(valueType(key.valueScalar, key.field)) };
                break;
              case "child": {
                const target = filterTypes.get(key.field.target);
                if (target === undefined) throw new Error(`no filter for ${key.field.target}`);
                fields[name] = { type: target };
                break;
              }
              case "changeBlock":
                fields[name] = {
                  type: BlockChangedFilterInput,
                  description: "Filter for the block changed event.",
                };
                break;
              case "and":
              case "or": {
                const self = filterTypes.get(type.name);
                if (self === undefined) throw new Error(`no filter for ${type.name}`);
                fields[name] = { type: new GraphQLList(self) };
                break;
              }
            }
          }
          return fields;
        },
      }),
    );
  }

  const collectionArgs = (typeName: string): GraphQLFieldConfigArgumentMap => {
    const orderBy = orderByTypes.get(typeName);
    const filter = filterTypes.get(typeName);
    if (orderBy === undefined || filter === undefined) throw new Error(`no types for ${typeName}`);
    return {
      skip: { type: GraphQLInt, default: { value: 0 } },
      first: { type: GraphQLInt, default: { value: DEFAULT_FIRST } },
      orderBy: { type: orderBy },
      orderDirection: { type: OrderDirectionEnum },
      where: { type: filter },
    };
  };

  /** Reads a page of `typeName` under the given parent scope. */
  const readCollection = (
    context: QueryContext,
    typeName: string,
    args: CollectionArgs,
    block: BlockScope,
    parent: ParentScope | null,
  ): EntityObject[] => {
    const first = args.first ?? DEFAULT_FIRST;
    const skip = args.skip ?? 0;
    checkRange("first", first, MAX_FIRST);
    checkRange("skip", skip, MAX_SKIP);
    return context.reader.collection({
      type: typeOf(typeName),
      block,
      where: args.where ?? null,
      orderBy: args.orderBy ?? null,
      orderDirection: args.orderDirection ?? null,
      first,
      skip,
      parent,
    });
  };

  const readById = (
    context: QueryContext,
    type: EntityType,
    id: string,
    block: BlockScope,
  ): EntityObject | null => {
    const key = `${type.name}\u0000${id}\u0000${String(block)}`;
    if (context.byIdCache.has(key)) return context.byIdCache.get(key) ?? null;
    const found = context.reader.byId(type, id, block);
    context.byIdCache.set(key, found);
    return found;
  };

  const entityFieldConfig = (
    type: EntityType,
    field: EntityField,
  ): GraphQLFieldConfig<EntityObject, QueryContext> => {
    if (field.kind !== "reference") {
      const base =
        field.kind === "enum" ? enumTypes.get(field.enumName) : SCALAR_TYPES[field.scalar];
      if (base === undefined) throw new Error(`no GraphQL type for ${type.name}.${field.name}`);
      return {
        type: wrapOutput(base, field.list, field.nonNull),
        resolve: (source) => source.values[field.name] ?? null,
      };
    }
    const target = objectTypes.get(field.target);
    if (target === undefined) throw new Error(`no object type ${field.target}`);
    if (field.list) {
      return {
        type: wrapOutput(target, true, field.nonNull),
        args: collectionArgs(field.target),
        resolve: (source, args: CollectionArgs, context) =>
          readCollection(
            context,
            field.target,
            args,
            source.block,
            childScope(schema, field, source),
          ),
      };
    }
    if (field.derivedFrom !== null) {
      const back = typeOf(field.target).fieldsByName.get(field.derivedFrom) as ReferenceField;
      return {
        type: wrapOutput(target, false, field.nonNull),
        resolve: (source, _args, context) => {
          const found = context.reader.collection({
            type: typeOf(field.target),
            block: source.block,
            where: null,
            orderBy: null,
            orderDirection: null,
            first: 2,
            skip: 0,
            parent: { kind: "derived", targetField: back, parentId: source.id },
          });
          if (found.length > 1) throw ambiguousDerivedResult(field.name, field.target, back.name);
          return nonNullChecked(field, found[0] ?? null);
        },
      };
    }
    return {
      type: wrapOutput(target, false, field.nonNull),
      resolve: (source, _args, context) => {
        const id = source.values[field.name];
        if (typeof id !== "string") return nonNullChecked(field, null);
        return nonNullChecked(field, readById(context, typeOf(field.target), id, source.block));
      },
    };
  };

  for (const type of schema.types) {
    objectTypes.set(
      type.name,
      new GraphQLObjectType<EntityObject, QueryContext>({
        name: type.name,
        description: type.description,
        fields: (): GraphQLFieldConfigMap<EntityObject, QueryContext> =>
          Object.fromEntries(type.fields.map((f) => [f.name, entityFieldConfig(type, f)])),
      }),
    );
  }

  /** Resolves a root field's block and notes its indexing-error outcome. */
  const rootBlock = (
    context: QueryContext,
    responseKey: string,
    args: { block?: BlockArgument | null; subgraphError?: "allow" | "deny" },
  ): ResolvedBlock => {
    const resolved = resolveBlock(context.reader.db, context.state, args.block);
    context.outcomes.push({
      responseKey,
      indexingErrors: hasIndexingErrorsAt(context.state, resolved.number),
      allowErrors: args.subgraphError === "allow",
    });
    return resolved;
  };

  const errorPolicyArg = {
    type: new GraphQLNonNull(SubgraphErrorPolicyEnum),
    default: { value: "deny" },
    description:
      "Set to `allow` to receive data even if the subgraph has skipped over errors while syncing.",
  };
  const blockArg = {
    type: BlockHeightInput,
    description:
      "The block at which the query should be executed. Can either be a `{ hash: Bytes }` value containing a block hash, a `{ number: Int }` containing the block number, or a `{ number_gte: Int }` containing the minimum block number. In the case of `number_gte`, the query will be executed on the latest block only if the subgraph has progressed to or past the minimum block number. Defaults to the latest block when omitted.",
  };

  const queryFields: GraphQLFieldConfigMap<unknown, QueryContext> = {};
  for (const type of schema.types) {
    const object = objectTypes.get(type.name);
    if (object === undefined) continue;
    const names = rootFieldNames(type.name);
    queryFields[names.single] = {
      type: object,
      args: {
        id: { type: new GraphQLNonNull(GraphQLID) },
        block: blockArg,
        subgraphError: errorPolicyArg,
      },
      resolve: (_root, args: SingleArgs, context, info) => {
        const block = rootBlock(context, String(info.path.key), args);
        const id = type.idScalar === "Bytes" ? args.id.toLowerCase() : args.id;
        return context.reader.byId(type, id, block.scope);
      },
    };
    queryFields[names.collection] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(object))),
      args: { ...collectionArgs(type.name), block: blockArg, subgraphError: errorPolicyArg },
      resolve: (_root, args: CollectionArgs, context, info) => {
        const block = rootBlock(context, String(info.path.key), args);
        return readCollection(context, type.name, args, block.scope, null);
      },
    };
  }
  queryFields._meta = {
    type: MetaType,
    description: "Access to subgraph metadata",
    args: { block: { type: BlockHeightInput } },
    resolve: (_root, args: { block?: BlockArgument | null }, context): MetaValue => {
      const { db } = context.reader;
      const resolved = resolveBlock(db, context.state, args.block);
      // graph-node knows the hash (and so timestamp and parent) only without `{ number }`.
      const stored =
        resolved.hash === null
          ? null
          : (findBlockByHash(db, resolved.hash) ?? findBlockByNumber(db, resolved.number));
      return {
        block: {
          number: resolved.number,
          hash: resolved.hash,
          timestamp: stored?.timestamp ?? null,
          parentHash: stored?.parentHash ?? null,
        },
        deployment: context.state.deployment,
        hasIndexingErrors: hasIndexingErrorsAt(context.state, resolved.number),
      };
    },
  };

  return new GraphQLSchema({
    query: new GraphQLObjectType<unknown, QueryContext>({ name: "Query", fields: queryFields }),
    types: [BigIntScalar, BigDecimalScalar, BytesScalar, Int8Scalar, TimestampScalar],
  });
}

function nonNullChecked(field: EntityField, value: EntityObject | null): EntityObject | null {
  if (value === null && field.nonNull) {
    throw new QueryExecutionError(`Null value resolved for non-null field \`${field.name}\``);
  }
  return value;
}

/** The parent scope of a list reference field on `source`. */
function childScope(
  schema: EntitySchema,
  field: ReferenceField,
  source: EntityObject,
): ParentScope {
  if (field.derivedFrom !== null) {
    const back = schema.typesByName.get(field.target)?.fieldsByName.get(field.derivedFrom);
    if (back?.kind !== "reference") throw new Error(`bad @derivedFrom on ${field.name}`);
    return { kind: "derived", targetField: back, parentId: source.id };
  }
  const ids = source.values[field.name];
  return { kind: "ids", ids: Array.isArray(ids) ? ids.map(String) : [] };
}

/** `X_orderBy` values: every field, then `field__child` for single references (api.rs). */
function orderByValues(schema: EntitySchema, type: EntityType): GraphQLEnumValueConfigMap {
  const values: GraphQLEnumValueConfigMap = {};
  for (const field of type.fields) {
    values[field.name] = {};
    if (field.kind !== "reference" || field.list) continue;
    const target = schema.typesByName.get(field.target);
    for (const child of target?.fields ?? []) {
      if (child.list || child.kind === "reference") continue;
      values[`${field.name}__${child.name}`] = {};
    }
  }
  return values;
}
