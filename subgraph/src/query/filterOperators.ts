/**
 * The `where` keys graph-node generates for each field (graph/src/schema/api.rs):
 * which operators a field gets depends on its type. One table here feeds both
 * the GraphQL filter input types and the SQL compiler, so a key that exists in
 * the schema always has a translation.
 */
import type { EntityField, EntitySchema, EntityScalar, EntityType } from "./readEntitySchema.ts";

export type ScalarOperator =
  | "eq"
  | "not"
  | "gt"
  | "lt"
  | "gte"
  | "lte"
  | "in"
  | "not_in"
  | "contains"
  | "contains_nocase"
  | "not_contains"
  | "not_contains_nocase"
  | "starts_with"
  | "starts_with_nocase"
  | "not_starts_with"
  | "not_starts_with_nocase"
  | "ends_with"
  | "ends_with_nocase"
  | "not_ends_with"
  | "not_ends_with_nocase";

export type ListOperator =
  "eq" | "not" | "contains" | "contains_nocase" | "not_contains" | "not_contains_nocase";

const ORDERED: readonly ScalarOperator[] = ["eq", "not", "gt", "lt", "gte", "lte", "in", "not_in"];
const STRING_OPERATORS: readonly ScalarOperator[] = [
  ...ORDERED,
  "contains",
  "contains_nocase",
  "not_contains",
  "not_contains_nocase",
  "starts_with",
  "starts_with_nocase",
  "not_starts_with",
  "not_starts_with_nocase",
  "ends_with",
  "ends_with_nocase",
  "not_ends_with",
  "not_ends_with_nocase",
];
const EQUALITY: readonly ScalarOperator[] = ["eq", "not", "in", "not_in"];
const LIST_OPERATORS: readonly ListOperator[] = [
  "eq",
  "not",
  "contains",
  "contains_nocase",
  "not_contains",
  "not_contains_nocase",
];

/** Operators of a scalar; references compare their ids as String, like graph-node. */
export function scalarOperators(scalar: EntityScalar | "enum"): readonly ScalarOperator[] {
  switch (scalar) {
    case "String":
      return STRING_OPERATORS;
    case "Bytes":
      return [...ORDERED, "contains", "not_contains"];
    case "Boolean":
    case "enum":
      return EQUALITY;
    default:
      return ORDERED;
  }
}

/** What one `where` key of an entity's filter means. */
export type FilterKey =
  | {
      kind: "scalar";
      field: EntityField;
      /** The value type: a reference's id compares as String. */
      valueScalar: EntityScalar | "enum";
      operator: ScalarOperator;
    }
  | { kind: "list"; field: EntityField; valueScalar: EntityScalar | "enum"; operator: ListOperator }
  | { kind: "child"; field: EntityField & { kind: "reference" } }
  | { kind: "changeBlock" }
  | { kind: "and" }
  | { kind: "or" };

function keyName(field: string, operator: string): string {
  return operator === "eq" ? field : `${field}_${operator}`;
}

/** A reference's id scalar as graph-node exposes it in filters (ID/Bytes ids → String). */
function referenceValueScalar(schema: EntitySchema, target: string): EntityScalar {
  const idScalar = schema.typesByName.get(target)?.idScalar;
  return idScalar === "Int8" ? "Int" : "String";
}

/** Every `where` key of `type`, in graph-node's order. */
export function filterKeys(schema: EntitySchema, type: EntityType): Map<string, FilterKey> {
  const keys = new Map<string, FilterKey>();
  for (const field of type.fields) {
    const reference = field.kind === "reference" ? field : null;
    if (reference?.derivedFrom != null) {
      keys.set(`${field.name}_`, { kind: "child", field: reference });
      continue;
    }
    const valueScalar: EntityScalar | "enum" =
      field.kind === "reference"
        ? referenceValueScalar(schema, field.target)
        : field.kind === "enum"
          ? "enum"
          : field.scalar;
    if (field.list) {
      for (const operator of LIST_OPERATORS) {
        keys.set(keyName(field.name, operator), { kind: "list", field, valueScalar, operator });
      }
    } else {
      for (const operator of scalarOperators(valueScalar)) {
        keys.set(keyName(field.name, operator), { kind: "scalar", field, valueScalar, operator });
      }
    }
    if (reference !== null) keys.set(`${field.name}_`, { kind: "child", field: reference });
  }
  keys.set("_change_block", { kind: "changeBlock" });
  keys.set("and", { kind: "and" });
  keys.set("or", { kind: "or" });
  return keys;
}
