/**
 * The subgraph's schema.graphql read into the model the query layer works
 * from: entity types, their fields, and for each field whether it is a scalar,
 * an enum or a reference (stored, or derived through @derivedFrom).
 */
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type FieldDefinitionNode,
  type TypeNode,
} from "graphql";

/** Scalars graph-node stores in entities (Float is not one of them). */
export const ENTITY_SCALARS = [
  "ID",
  "String",
  "Bytes",
  "BigInt",
  "BigDecimal",
  "Int",
  "Int8",
  "Timestamp",
  "Boolean",
] as const;
export type EntityScalar = (typeof ENTITY_SCALARS)[number];

export interface ScalarField {
  kind: "scalar";
  name: string;
  scalar: EntityScalar;
  list: boolean;
  nonNull: boolean;
}

export interface EnumField {
  kind: "enum";
  name: string;
  enumName: string;
  list: boolean;
  nonNull: boolean;
}

export interface ReferenceField {
  kind: "reference";
  name: string;
  /** The entity type referred to. */
  target: string;
  list: boolean;
  nonNull: boolean;
  /** The field of `target` holding this entity's id, when the field is @derivedFrom. */
  derivedFrom: string | null;
}

export type EntityField = ScalarField | EnumField | ReferenceField;

export interface EntityType {
  name: string;
  description: string | null;
  /** The scalar of `id` (ID, String, Bytes or Int8). */
  idScalar: EntityScalar;
  fields: EntityField[];
  fieldsByName: ReadonlyMap<string, EntityField>;
}

export interface EntitySchema {
  types: EntityType[];
  typesByName: ReadonlyMap<string, EntityType>;
  enums: ReadonlyMap<string, readonly string[]>;
}

/** The schema text does not describe entities the way graph-node requires. */
export class EntitySchemaError extends Error {
  override name = "EntitySchemaError";
}

// Field names become JSON paths inlined in SQL; this keeps them to GraphQL names.
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

interface Unwrapped {
  named: string;
  list: boolean;
  nonNull: boolean;
}

function unwrap(type: TypeNode): Unwrapped {
  if (type.kind === Kind.NON_NULL_TYPE) return { ...unwrap(type.type), nonNull: true };
  if (type.kind === Kind.LIST_TYPE) {
    const inner = unwrap(type.type);
    if (inner.list) throw new EntitySchemaError("nested lists are not supported in entities");
    return { named: inner.named, list: true, nonNull: false };
  }
  return { named: type.name.value, list: false, nonNull: false };
}

function derivedFromOf(directives: readonly ConstDirectiveNode[] | undefined): string | null {
  const directive = directives?.find((d) => d.name.value === "derivedFrom");
  if (directive === undefined) return null;
  const argument = directive.arguments?.find((a) => a.name.value === "field");
  if (argument?.value.kind !== Kind.STRING) {
    throw new EntitySchemaError("@derivedFrom needs a string argument `field`");
  }
  return argument.value.value;
}

function isScalar(name: string): name is EntityScalar {
  return (ENTITY_SCALARS as readonly string[]).includes(name);
}

/** Parses schema.graphql text (graph-node's input schema dialect) into an EntitySchema. */
export function readEntitySchema(sdl: string): EntitySchema {
  const document = parse(sdl);
  const entityNames = new Set<string>();
  const enums = new Map<string, readonly string[]>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) {
      if (definition.directives?.some((d) => d.name.value === "entity") === true) {
        entityNames.add(definition.name.value);
      }
    } else if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      enums.set(
        definition.name.value,
        (definition.values ?? []).map((v) => v.name.value),
      );
    } else if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      throw new EntitySchemaError(
        `interface ${definition.name.value}: interfaces are not supported by the embedded query server`,
      );
    }
  }

  const types: EntityType[] = [];
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION ||
      !entityNames.has(definition.name.value)
    ) {
      continue;
    }
    const typeName = definition.name.value;
    const fields = (definition.fields ?? []).map((f) => toField(typeName, f, entityNames, enums));
    const id = fields.find((f) => f.name === "id");
    if (id?.kind !== "scalar" || !["ID", "String", "Bytes", "Int8"].includes(id.scalar)) {
      throw new EntitySchemaError(`${typeName}: an entity needs an \`id\` of ID, Bytes or Int8`);
    }
    types.push({
      name: typeName,
      description: definition.description?.value ?? null,
      idScalar: id.scalar,
      fields,
      fieldsByName: new Map(fields.map((f) => [f.name, f])),
    });
  }
  const typesByName = new Map(types.map((t) => [t.name, t]));
  for (const type of types) checkDerivedFields(type, typesByName);
  return { types, typesByName, enums };
}

function toField(
  typeName: string,
  node: FieldDefinitionNode,
  entityNames: ReadonlySet<string>,
  enums: ReadonlyMap<string, readonly string[]>,
): EntityField {
  const name = node.name.value;
  if (!GRAPHQL_NAME.test(name)) throw new EntitySchemaError(`${typeName}.${name}: invalid name`);
  const { named, list, nonNull } = unwrap(node.type);
  const derivedFrom = derivedFromOf(node.directives);
  if (entityNames.has(named)) {
    return { kind: "reference", name, target: named, list, nonNull, derivedFrom };
  }
  if (derivedFrom !== null) {
    throw new EntitySchemaError(`${typeName}.${name}: @derivedFrom on a non-entity field`);
  }
  if (enums.has(named)) return { kind: "enum", name, enumName: named, list, nonNull };
  if (isScalar(named)) return { kind: "scalar", name, scalar: named, list, nonNull };
  throw new EntitySchemaError(`${typeName}.${name}: unknown type ${named}`);
}

function checkDerivedFields(type: EntityType, typesByName: ReadonlyMap<string, EntityType>): void {
  for (const field of type.fields) {
    if (field.kind !== "reference" || field.derivedFrom === null) continue;
    const target = typesByName.get(field.target);
    const back = target?.fieldsByName.get(field.derivedFrom);
    if (back?.kind !== "reference" || back.target !== type.name || back.derivedFrom !== null) {
      throw new EntitySchemaError(
        `${type.name}.${field.name}: @derivedFrom(field: "${field.derivedFrom}") must name a stored ${field.target} field referring to ${type.name}`,
      );
    }
  }
}
