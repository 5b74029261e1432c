/**
 * Translates graph-node collection arguments (`where`, `orderBy`,
 * `orderDirection`, `first`, `skip`, `block`) into one SQLite SELECT over the
 * entity store's versioned tables. Every value goes in as a parameter; the
 * only text spliced into SQL is table and field names checked against the
 * schema (readEntitySchema keeps them to GraphQL names).
 *
 * Values are compared in the store's JSON text (see /tmp store layout in
 * subgraph/src/store): BigInt as decimal strings compared by sign, length and
 * digits so that numeric order holds without precision loss; BigDecimal
 * through REAL (approximate beyond 15 significant digits).
 */
import { print, type ValueNode } from "graphql";
import {
  filterKeys,
  type FilterKey,
  type ListOperator,
  type ScalarOperator,
} from "./filterOperators.ts";
import { filterNotSupported, orderByNotSupported, QueryExecutionError } from "./queryErrors.ts";
import type {
  EntityField,
  EntitySchema,
  EntityScalar,
  EntityType,
  ReferenceField,
} from "./readEntitySchema.ts";

/** The block a query reads at: a number, or null for the latest version. */
export type BlockScope = number | null;

export type OrderDirection = "asc" | "desc";

/** Restricts a nested collection to the children of one parent entity. */
export type ParentScope =
  | { kind: "derived"; targetField: ReferenceField; parentId: string }
  | { kind: "ids"; ids: readonly string[] };

export interface CollectionQuery {
  type: EntityType;
  block: BlockScope;
  where: Readonly<Record<string, unknown>> | null;
  orderBy: string | null;
  orderDirection: OrderDirection | null;
  first: number;
  skip: number;
  parent: ParentScope | null;
}

export interface CompiledQuery {
  sql: string;
  /** Named parameters (`@p1`, …) for better-sqlite3. */
  params: Record<string, unknown>;
}

/** SQL identifier for an entity table: the type name, quoted. */
export function tableName(type: EntityType | string): string {
  const name = typeof type === "string" ? type : type.name;
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * A field's value in a row of `alias` (no alias: the bare table, as in index
 * definitions): the id column or the JSON member.
 */
export function fieldSql(alias: string, field: EntityField | string): string {
  const name = typeof field === "string" ? field : field.name;
  const qualifier = alias === "" ? "" : `${alias}.`;
  return name === "id" ? `${qualifier}id` : `json_extract(${qualifier}data, '$.${name}')`;
}

/** JSON text for a list parameter; bigint elements stay JSON numbers. */
export function jsonListText(values: readonly unknown[]): string {
  const parts = values.map((v) => {
    if (typeof v === "bigint") return v.toString();
    if (v === undefined) return "null";
    return JSON.stringify(v);
  });
  return `[${parts.join(",")}]`;
}

/** A scalar filter value as text (values arrive coerced: strings, numbers, bigints). */
function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    return value.toString();
  }
  return JSON.stringify(value);
}

/** A parameter as better-sqlite3 binds it (it has no booleans). */
function bindable(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/** Builds one statement: collects parameters and hands out table aliases. */
class SqlBuilder {
  readonly params: Record<string, unknown> = {};
  private count = 0;
  private aliases = 0;
  private blockParam: string | null = null;
  readonly schema: EntitySchema;
  readonly block: BlockScope;

  constructor(schema: EntitySchema, block: BlockScope) {
    this.schema = schema;
    this.block = block;
  }

  /** A named parameter holding `value` (named, so SQL can be assembled in any order). */
  param(value: unknown): string {
    this.count += 1;
    const name = `p${this.count}`;
    this.params[name] = bindable(value);
    return `@${name}`;
  }

  alias(): string {
    this.aliases += 1;
    return `e${this.aliases}`;
  }

  /** The version of a row visible at the query's block. */
  visible(alias: string): string {
    if (this.block === null) return `${alias}.block_to IS NULL`;
    this.blockParam ??= this.param(this.block);
    const at = this.blockParam;
    return `${alias}.block_from <= ${at} AND (${alias}.block_to IS NULL OR ${alias}.block_to > ${at})`;
  }

  type(name: string): EntityType {
    const type = this.schema.typesByName.get(name);
    if (type === undefined) throw new QueryExecutionError(`Type \`${name}\` not found`);
    return type;
  }
}

const filterKeyCache = new WeakMap<EntityType, Map<string, FilterKey>>();

function keysOf(schema: EntitySchema, type: EntityType): Map<string, FilterKey> {
  let keys = filterKeyCache.get(type);
  if (keys === undefined) {
    keys = filterKeys(schema, type);
    filterKeyCache.set(type, keys);
  }
  return keys;
}

// ---------------------------------------------------------------- comparisons

// A BigInt sorts by a text key: "1", a character for the digit count, the digits (non-negative);
// "0", a character falling with the digit count, the digits mapped 9→a … 0→j (negative), so that
// text order is numeric order. No value's key reaches MAX_KEY_CHAR, which stands for NULL (last
// ascending, first descending, as in Postgres). The same key is computed in SQL (for stored
// values and the indexes over them) and in JS (for parameters), and must stay identical.
const MAX_KEY_CHAR = 0x10ffff;
const COMPLEMENT: readonly [string, string][] = [
  ["0", "j"],
  ["1", "i"],
  ["2", "h"],
  ["3", "g"],
  ["4", "f"],
  ["5", "e"],
  ["6", "d"],
  ["7", "c"],
  ["8", "b"],
  ["9", "a"],
];

/** The sort key of a canonical BigInt decimal string (see bigIntKeySql). */
export function bigIntSortKey(value: string): string {
  if (value.startsWith("-")) {
    const digits = value.slice(1);
    const mapped = digits.replace(/\d/g, (d) => COMPLEMENT[Number(d)]?.[1] ?? "");
    return `0${String.fromCodePoint(200 - value.length)}${mapped}`;
  }
  return `1${String.fromCodePoint(64 + value.length)}${value}`;
}

function bigIntKeySql(expr: string): string {
  let complemented = `substr(${expr}, 2)`;
  for (const [digit, letter] of COMPLEMENT) {
    complemented = `replace(${complemented}, '${digit}', '${letter}')`;
  }
  return `CASE WHEN ${expr} IS NULL THEN char(${MAX_KEY_CHAR}) WHEN substr(${expr}, 1, 1) = '-' THEN '0' || char(200 - length(${expr})) || ${complemented} ELSE '1' || char(64 + length(${expr})) || ${expr} END`;
}

/**
 * One ORDER BY expression for a value of `scalar`: exact numeric order for
 * BigInt, REAL for BigDecimal, and for nullable fields NULL placed last
 * ascending and first descending like Postgres (SQLite does the opposite).
 * Indexes over sorted fields use this very expression (ensureQueryIndexes).
 */
export function sortKeySql(expr: string, scalar: EntityScalar | "enum", nullable: boolean): string {
  switch (scalar) {
    case "BigInt":
      return bigIntKeySql(expr);
    case "BigDecimal":
      return nullable ? `coalesce(CAST(${expr} AS REAL), 9e999)` : `CAST(${expr} AS REAL)`;
    case "Int":
    case "Int8":
    case "Timestamp":
    case "Boolean":
      return nullable ? `coalesce(${expr}, 9223372036854775807)` : expr;
    default:
      return nullable ? `coalesce(${expr}, char(${MAX_KEY_CHAR}))` : expr;
  }
}

function compareOrdered(
  b: SqlBuilder,
  expr: string,
  field: EntityField,
  scalar: EntityScalar | "enum",
  operator: "gt" | "lt" | "gte" | "lte",
  value: unknown,
): string {
  if (value === null)
    throw new QueryExecutionError(`Filter \`_${operator}\` needs a value, not null`);
  const sqlOp = { gt: ">", lt: "<", gte: ">=", lte: "<=" }[operator];
  if (scalar === "BigInt") {
    // Compared through the sort key, so a range on a sorted field can use its index.
    const key = sortKeySql(expr, scalar, !field.nonNull);
    return `(${expr} IS NOT NULL AND ${key} ${sqlOp} ${b.param(bigIntSortKey(textOf(value)))})`;
  }
  if (scalar === "BigDecimal") {
    return `CAST(${expr} AS REAL) ${sqlOp} CAST(${b.param(value)} AS REAL)`;
  }
  return `${expr} ${sqlOp} ${b.param(value)}`;
}

function textMatch(b: SqlBuilder, expr: string, operator: ScalarOperator, value: string): string {
  const nocase = operator.endsWith("_nocase");
  const negated = operator.startsWith("not_");
  const base = operator.replace(/^not_/, "").replace(/_nocase$/, "");
  const haystack = nocase ? `lower(${expr})` : expr;
  const param = b.param(value);
  const needle = nocase ? `lower(${param})` : param;
  let test: string;
  if (base === "contains") {
    test = `instr(${haystack}, ${needle}) > 0`;
  } else if (base === "starts_with") {
    test = `instr(${haystack}, ${needle}) = 1`;
  } else {
    // ends_with: compare the tail; a needle longer than the value never matches.
    test = `length(${haystack}) >= length(${needle}) AND substr(${haystack}, length(${haystack}) - length(${needle}) + 1) = ${needle}`;
  }
  return negated ? `(${expr} IS NOT NULL AND NOT (${test}))` : `(${test})`;
}

function scalarCondition(
  b: SqlBuilder,
  field: EntityField,
  expr: string,
  scalar: EntityScalar | "enum",
  operator: ScalarOperator,
  value: unknown,
): string {
  switch (operator) {
    case "eq":
      return value === null ? `${expr} IS NULL` : `${expr} = ${b.param(value)}`;
    case "not":
      return value === null ? `${expr} IS NOT NULL` : `${expr} != ${b.param(value)}`;
    case "gt":
    case "lt":
    case "gte":
    case "lte":
      return compareOrdered(b, expr, field, scalar, operator, value);
    case "in":
    case "not_in": {
      const list = Array.isArray(value) ? (value as unknown[]) : [];
      const inList = `${expr} IN (SELECT value FROM json_each(${b.param(jsonListText(list))}))`;
      return operator === "in" ? inList : `(${expr} IS NOT NULL AND NOT ${inList})`;
    }
    default:
      if (value === null) {
        throw new QueryExecutionError(`Filter \`_${operator}\` needs a value, not null`);
      }
      if (scalar === "Bytes") {
        // Byte-aligned substring of the hex text (a match at an odd nibble is no match).
        const test = `ei_bytes_contains(${expr}, ${b.param(value)})`;
        return operator === "contains" ? test : `(${expr} IS NOT NULL AND NOT ${test})`;
      }
      return textMatch(b, expr, operator, textOf(value));
  }
}

function listCondition(
  b: SqlBuilder,
  alias: string,
  field: EntityField,
  operator: ListOperator,
  value: unknown,
): string {
  const expr = fieldSql(alias, field);
  if (operator === "eq" || operator === "not") {
    if (value === null) return operator === "eq" ? `${expr} IS NULL` : `${expr} IS NOT NULL`;
    const list = jsonListText(value as unknown[]);
    return `${expr} ${operator === "eq" ? "=" : "!="} json(${b.param(list)})`;
  }
  if (value === null)
    throw new QueryExecutionError(`Filter \`_${operator}\` needs a value, not null`);
  const nocase = operator.endsWith("_nocase");
  const wanted = nocase ? "lower(q.value)" : "q.value";
  const held = nocase ? "lower(h.value)" : "h.value";
  const list = jsonListText(value as unknown[]);
  const containsAll = `NOT EXISTS (SELECT 1 FROM json_each(${b.param(list)}) q WHERE ${wanted} NOT IN (SELECT ${held} FROM json_each(${alias}.data, '$.${field.name}') h))`;
  return operator.startsWith("not_")
    ? `(${expr} IS NOT NULL AND NOT ${containsAll})`
    : `(${expr} IS NOT NULL AND ${containsAll})`;
}

/** True when a filter object (or its and/or members) holds a child filter. */
function hasChildFilter(
  schema: EntitySchema,
  type: EntityType,
  where: Readonly<Record<string, unknown>>,
): string | null {
  const keys = keysOf(schema, type);
  for (const [name, value] of Object.entries(where)) {
    const key = keys.get(name);
    if (key?.kind === "child") return name;
    if ((key?.kind === "and" || key?.kind === "or") && Array.isArray(value)) {
      for (const member of value as Record<string, unknown>[]) {
        const found = hasChildFilter(schema, type, member);
        if (found !== null) return found;
      }
    }
  }
  return null;
}

function childCondition(
  b: SqlBuilder,
  alias: string,
  field: ReferenceField,
  value: unknown,
  nested: boolean,
): string {
  if (value === null || typeof value !== "object") {
    throw new QueryExecutionError("Filter must by an object");
  }
  const target = b.type(field.target);
  const childWhere = value as Record<string, unknown>;
  const inner = hasChildFilter(b.schema, target, childWhere);
  if (nested || inner !== null) {
    throw new QueryExecutionError(
      `Child filter nesting not supported by value \`${JSON.stringify(childWhere)}\`: \`${field.name}_\``,
    );
  }
  const c = b.alias();
  const visible = b.visible(c);
  const filter = compileWhere(b, target, childWhere, c, true);
  const childFilter = filter === "" ? "" : ` AND ${filter}`;
  if (field.derivedFrom !== null) {
    const back = target.fieldsByName.get(field.derivedFrom);
    const link =
      back?.list === true
        ? `EXISTS (SELECT 1 FROM json_each(${c}.data, '$.${field.derivedFrom}') WHERE value = ${alias}.id)`
        : `${fieldSql(c, field.derivedFrom)} = ${alias}.id`;
    return `EXISTS (SELECT 1 FROM ${tableName(target)} ${c} WHERE ${visible} AND ${link}${childFilter})`;
  }
  if (field.list) {
    return `EXISTS (SELECT 1 FROM json_each(${alias}.data, '$.${field.name}') j JOIN ${tableName(target)} ${c} ON ${c}.id = j.value WHERE ${visible}${childFilter})`;
  }
  return `${fieldSql(alias, field)} IN (SELECT ${c}.id FROM ${tableName(target)} ${c} WHERE ${visible}${childFilter})`;
}

/**
 * The SQL condition for a `where` object on rows of `type` under `alias`
 * (empty string when it constrains nothing). `nested` is true inside a child
 * filter, where graph-node allows no further child filters.
 */
export function compileWhere(
  b: SqlBuilder,
  type: EntityType,
  where: Readonly<Record<string, unknown>>,
  alias: string,
  nested: boolean,
): string {
  const keys = keysOf(b.schema, type);
  const conditions: string[] = [];
  for (const [name, value] of Object.entries(where)) {
    if (value === undefined) continue;
    const key = keys.get(name);
    if (key === undefined)
      throw new QueryExecutionError(`Type \`${type.name}_filter\` has no field \`${name}\``);
    switch (key.kind) {
      case "scalar":
        conditions.push(
          scalarCondition(
            b,
            key.field,
            fieldSql(alias, key.field),
            key.valueScalar,
            key.operator,
            value,
          ),
        );
        break;
      case "list":
        conditions.push(listCondition(b, alias, key.field, key.operator, value));
        break;
      case "child":
        conditions.push(childCondition(b, alias, key.field, value, nested));
        break;
      case "changeBlock": {
        const gte: unknown =
          typeof value === "object" && value !== null && "number_gte" in value
            ? value.number_gte
            : undefined;
        if (typeof gte !== "number") throw filterNotSupported(textOf(value), name);
        conditions.push(`${alias}.block_from >= ${b.param(gte)}`);
        break;
      }
      case "and":
      case "or": {
        if (!Array.isArray(value)) throw new QueryExecutionError("Filter must by an object");
        const members = (value as Record<string, unknown>[]).map((member) => {
          const sql = compileWhere(b, type, member, alias, nested);
          return sql === "" ? "1" : `(${sql})`;
        });
        if (members.length > 0) {
          conditions.push(`(${members.join(key.kind === "and" ? " AND " : " OR ")})`);
        }
        break;
      }
    }
  }
  return conditions.join(" AND ");
}

// ---------------------------------------------------------------- ordering

function orderableScalar(field: EntityField): EntityScalar | "enum" | null {
  if (field.list) return null;
  if (field.kind === "scalar") return field.scalar;
  if (field.kind === "enum") return "enum";
  return field.derivedFrom === null ? "String" : null;
}

/**
 * The sort key of a child entity's field through a single reference
 * (`field__child` sorting); a missing child sorts like NULL.
 */
function childOrderKey(
  b: SqlBuilder,
  type: EntityType,
  alias: string,
  parentName: string,
  childName: string,
): string {
  const parent = type.fieldsByName.get(parentName);
  if (parent?.kind !== "reference" || parent.list) {
    throw orderByNotSupported(type.name, `${parentName}__${childName}`);
  }
  const target = b.type(parent.target);
  const child = target.fieldsByName.get(childName);
  const scalar = child === undefined || child.kind === "reference" ? null : orderableScalar(child);
  if (child === undefined || scalar === null) {
    throw orderByNotSupported(type.name, `${parentName}__${childName}`);
  }
  const c = b.alias();
  let link: string;
  if (parent.derivedFrom === null) {
    link = `${c}.id = ${fieldSql(alias, parent)}`;
  } else {
    link = `${fieldSql(c, parent.derivedFrom)} = ${alias}.id`;
  }
  const key = sortKeySql(fieldSql(c, child), scalar, true);
  const missing = sortKeySql("NULL", scalar, true);
  return `coalesce((SELECT ${key} FROM ${tableName(target)} ${c} WHERE ${link} AND ${b.visible(c)} LIMIT 1), ${missing})`;
}

function orderClause(
  b: SqlBuilder,
  type: EntityType,
  alias: string,
  orderBy: string | null,
  direction: OrderDirection,
): string {
  const dir = direction === "desc" ? "DESC" : "ASC";
  const idTerm = `${alias}.id ${dir}`;
  if (orderBy === null || orderBy === "id") return idTerm;
  const separator = orderBy.indexOf("__");
  if (separator > 0) {
    const key = childOrderKey(
      b,
      type,
      alias,
      orderBy.slice(0, separator),
      orderBy.slice(separator + 2),
    );
    return `${key} ${dir}, ${idTerm}`;
  }
  const field = type.fieldsByName.get(orderBy);
  const scalar = field === undefined ? null : orderableScalar(field);
  if (field === undefined || scalar === null) throw orderByNotSupported(type.name, orderBy);
  return `${sortKeySql(fieldSql(alias, field), scalar, !field.nonNull)} ${dir}, ${idTerm}`;
}

// ---------------------------------------------------------------- statements

/** SELECT for a collection: the visible versions matching, ordered and paged. */
export function compileCollectionQuery(
  schema: EntitySchema,
  query: CollectionQuery,
): CompiledQuery {
  const b = new SqlBuilder(schema, query.block);
  const a = "e0";
  const conditions = [b.visible(a)];
  if (query.parent?.kind === "derived") {
    const { targetField, parentId } = query.parent;
    conditions.push(
      targetField.list
        ? `EXISTS (SELECT 1 FROM json_each(${a}.data, '$.${targetField.name}') WHERE value = ${b.param(parentId)})`
        : `${fieldSql(a, targetField)} = ${b.param(parentId)}`,
    );
  } else if (query.parent?.kind === "ids") {
    conditions.push(
      `${a}.id IN (SELECT value FROM json_each(${b.param(jsonListText(query.parent.ids))}))`,
    );
  }
  if (query.where !== null) {
    const filter = compileWhere(b, query.type, query.where, a, false);
    if (filter !== "") conditions.push(filter);
  }
  const order = orderClause(b, query.type, a, query.orderBy, query.orderDirection ?? "asc");
  const sql = `SELECT ${a}.id AS id, ${a}.data AS data FROM ${tableName(query.type)} ${a} WHERE ${conditions.join(" AND ")} ORDER BY ${order} LIMIT ${b.param(query.first)} OFFSET ${b.param(query.skip)}`;
  return { sql, params: b.params };
}

/** SELECT for one entity by id at a block (at most one version is visible). */
export function compileByIdQuery(
  schema: EntitySchema,
  type: EntityType,
  id: string,
  block: BlockScope,
): CompiledQuery {
  const b = new SqlBuilder(schema, block);
  const sql = `SELECT e0.id AS id, e0.data AS data FROM ${tableName(type)} e0 WHERE e0.id = ${b.param(id)} AND ${b.visible("e0")} LIMIT 2`;
  return { sql, params: b.params };
}

/** For error messages: a GraphQL value as the client wrote it. */
export function printValue(node: ValueNode): string {
  return print(node);
}
