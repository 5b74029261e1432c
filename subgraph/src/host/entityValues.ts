/**
 * graph-ts store values (`Value`: kind + payload) to and from the JSON the entity store keeps.
 * Entities cross the boundary as `TypedMap<string, Value>`: {entries: Array<{key, value}>}.
 */
import { hexToBytesFast as hexToBytes } from "./hex.ts";
import type { EntityField, EntityType } from "../query/readEntitySchema.ts";
import type { EntityData } from "../store/openEntityStore.ts";
import type { AscHeap } from "./ascHeap.ts";
import {
  bigIntToSignedLe,
  decimalFromString,
  decimalToString,
  signedLeToBigInt,
  signedLeToDecimalString,
} from "./bigNumbers.ts";

/** graph-ts `ValueKind`. */
export const ValueKind = {
  STRING: 0,
  INT: 1,
  BIGDECIMAL: 2,
  BOOL: 3,
  ARRAY: 4,
  NULL: 5,
  BYTES: 6,
  BIGINT: 7,
  INT8: 8,
  TIMESTAMP: 9,
} as const;

const KIND_NAMES = [
  "String",
  "Int",
  "BigDecimal",
  "Boolean",
  "Array",
  "null",
  "Bytes",
  "BigInt",
  "Int8",
  "Timestamp",
];

/** An entity a mapping saved does not fit schema.graphql (graph-node fails the subgraph the same way). */
export class EntityValidationError extends Error {
  override name = "EntityValidationError";
}

function readDecimal(heap: AscHeap, ptr: number): string {
  const digits = signedLeToBigInt(heap.viewBytes(heap.u32(ptr)));
  const exp = signedLeToBigInt(heap.viewBytes(heap.u32(ptr + 4)));
  return decimalToString({ digits, exp });
}

/** A store Value to its JSON form, with the kind it had. */
export function readValue(heap: AscHeap, ptr: number): { kind: number; json: unknown } {
  const json = readJson(heap, ptr);
  return { kind: lastKind, json };
}

// The kind of the value readJson read last: readEntity runs for every store.set, and an object per
// field to return the kind with the value showed as garbage collection in profiles.
let lastKind = 0;

/** A store Value to its JSON form; its kind is left in `lastKind`. */
function readJson(heap: AscHeap, ptr: number): unknown {
  const kind = heap.enumKind(ptr);
  // The payload's halves as numbers: a bigint per value showed as garbage collection in profiles.
  const low = heap.enumLow(ptr);
  let json: unknown;
  switch (kind) {
    case ValueKind.STRING:
      json = heap.readString(low);
      break;
    case ValueKind.INT:
      json = low | 0;
      break;
    case ValueKind.INT8:
    case ValueKind.TIMESTAMP:
      // Exact below 2^53, and rounded as Number(bigint) rounds above.
      json = heap.enumHigh(ptr) * 2 ** 32 + low;
      break;
    case ValueKind.BIGDECIMAL:
      json = readDecimal(heap, low);
      break;
    case ValueKind.BOOL:
      json = low !== 0 || heap.enumHigh(ptr) !== 0;
      break;
    case ValueKind.ARRAY:
      json = heap.readArray(low).map((element) => readJson(heap, element));
      break;
    case ValueKind.NULL:
      json = null;
      break;
    case ValueKind.BYTES:
      json = heap.readHex(low);
      break;
    case ValueKind.BIGINT:
      json = signedLeToDecimalString(heap.viewBytes(low));
      break;
    default:
      throw new EntityValidationError(`unknown store value kind ${kind}`);
  }
  lastKind = kind;
  return json;
}

// Per field and per type, what readEntity checks, worked out once (it runs for every store.set).
const kindOfFieldCache = new WeakMap<EntityField, number>();
const requiredFieldsCache = new WeakMap<EntityType, readonly string[]>();

/** The ValueKind a field's values have, from its schema type. */
function kindOfField(field: EntityField, typesById: ReadonlyMap<string, EntityType>): number {
  let kind = kindOfFieldCache.get(field);
  if (kind === undefined) {
    kind = kindOfFieldUncached(field, typesById);
    kindOfFieldCache.set(field, kind);
  }
  return kind;
}

/** A field of a type as readEntity and writeEntity need it: one Map lookup per field and call. */
interface FieldInfo {
  field: EntityField;
  /** The ValueKind its values have (ARRAY for a list). */
  expected: number;
  /** Its scalar's ValueKind (the elements', for a list). */
  kind: number;
  derived: boolean;
}
const fieldInfoCache = new WeakMap<EntityType, Map<string, FieldInfo>>();

function fieldInfos(
  type: EntityType,
  typesById: ReadonlyMap<string, EntityType>,
): Map<string, FieldInfo> {
  let infos = fieldInfoCache.get(type);
  if (infos === undefined) {
    infos = new Map();
    for (const field of type.fields) {
      const kind = kindOfField(field, typesById);
      infos.set(field.name, {
        field,
        kind,
        expected: field.list ? ValueKind.ARRAY : kind,
        derived: field.kind === "reference" && field.derivedFrom !== null,
      });
    }
    fieldInfoCache.set(type, infos);
  }
  return infos;
}

/** Fields a saved entity must have a non-null value for. */
function requiredFields(type: EntityType): readonly string[] {
  let names = requiredFieldsCache.get(type);
  if (names === undefined) {
    names = type.fields
      .filter((f) => f.nonNull && !(f.kind === "reference" && f.derivedFrom !== null))
      .map((f) => f.name);
    requiredFieldsCache.set(type, names);
  }
  return names;
}

function kindOfFieldUncached(
  field: EntityField,
  typesById: ReadonlyMap<string, EntityType>,
): number {
  if (field.kind === "enum") return ValueKind.STRING;
  const scalar =
    field.kind === "scalar" ? field.scalar : (typesById.get(field.target)?.idScalar ?? "ID");
  switch (scalar) {
    case "ID":
    case "String":
      return ValueKind.STRING;
    case "Bytes":
      return ValueKind.BYTES;
    case "Int":
      return ValueKind.INT;
    case "Int8":
      return ValueKind.INT8;
    case "Timestamp":
      return ValueKind.TIMESTAMP;
    case "BigInt":
      return ValueKind.BIGINT;
    case "BigDecimal":
      return ValueKind.BIGDECIMAL;
    case "Boolean":
      return ValueKind.BOOL;
  }
}

function checkKind(
  type: EntityType,
  id: string,
  field: EntityField,
  expected: number,
  actual: number,
): void {
  if (actual !== expected && actual !== ValueKind.NULL) {
    throw new EntityValidationError(
      `Entity ${type.name}[${id}]: the value of field \`${field.name}\` is a ${KIND_NAMES[actual] ?? actual}, the schema says ${KIND_NAMES[expected] ?? expected}`,
    );
  }
}

/** A list's elements must be of the field's scalar too (graph-node rejects `[1, "a"]` for `[Int]`). */
function checkElementKinds(
  heap: AscHeap,
  valuePtr: number,
  type: EntityType,
  id: string,
  info: FieldInfo,
): void {
  for (const element of heap.readArray(heap.enumLow(valuePtr))) {
    const actual = heap.enumKind(element);
    if (actual !== info.kind && actual !== ValueKind.NULL) {
      throw new EntityValidationError(
        `Entity ${type.name}[${id}]: an element of field \`${info.field.name}\` is a ${KIND_NAMES[actual] ?? actual}, the schema says [${KIND_NAMES[info.kind] ?? info.kind}]`,
      );
    }
  }
}

/**
 * A maker of entity objects per type and field order: an object given 20 fields one computed key at
 * a time turns into a slow dictionary object in V8 (both the stores and JSON.stringify of it showed
 * in profiles). An object literal with the keys written out is the cheapest fast object V8 makes,
 * so each shape gets a function returning one (the keys quoted by JSON.stringify, so any key is
 * safe). Keys and order are those the mapping set, so the stored JSON is the same.
 */
type EntityMaker = (values: readonly unknown[]) => EntityData;
const makers = new WeakMap<EntityType, { keys: readonly string[]; make: EntityMaker }[]>();
const MAKERS_PER_TYPE = 8;

function makerOf(type: EntityType, keys: readonly string[]): EntityMaker {
  let known = makers.get(type);
  if (known === undefined) {
    known = [];
    makers.set(type, known);
  }
  for (const shape of known) {
    if (shape.keys.length === keys.length && shape.keys.every((key, i) => key === keys[i]))
      return shape.make;
  }
  const fields = keys.map((key, i) => `${JSON.stringify(key)}: v[${i}]`).join(", ");
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- keys are JSON-quoted literals
  const make = new Function("v", `return { ${fields} };`) as EntityMaker;
  if (known.length < MAKERS_PER_TYPE) known.push({ keys: [...keys], make });
  return make;
}

/**
 * Reads an entity a mapping passed to store.set and checks it against the schema as graph-node does:
 * no unknown or derived fields, every non-null field set, each value of its field's type.
 */
export function readEntity(
  heap: AscHeap,
  ptr: number,
  type: EntityType,
  id: string,
  typesByName: ReadonlyMap<string, EntityType>,
): EntityData {
  const entries = heap.readArray(heap.u32(ptr));
  const infos = fieldInfos(type, typesByName);
  const keys = new Array<string>(entries.length);
  const values = new Array<unknown>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? 0;
    const key = heap.readString(heap.u32(entry));
    const info = infos.get(key);
    if (info === undefined) {
      throw new EntityValidationError(`Entity ${type.name}[${id}]: unknown field \`${key}\``);
    }
    if (info.derived) {
      throw new EntityValidationError(
        `Entity ${type.name}[${id}]: field \`${key}\` is derived (@derivedFrom) and cannot be set`,
      );
    }
    const valuePtr = heap.u32(entry + 4);
    const json = readJson(heap, valuePtr);
    const kind = lastKind;
    const expected = info.expected;
    if (kind !== expected && kind !== ValueKind.NULL)
      checkKind(type, id, info.field, expected, kind);
    if (kind === ValueKind.ARRAY) checkElementKinds(heap, valuePtr, type, id, info);
    keys[i] = key;
    values[i] = json;
  }
  const data = makerOf(type, keys)(values);
  if (data.id !== id) {
    throw new EntityValidationError(
      `Entity ${type.name}[${id}]: the entity's id ${JSON.stringify(data.id)} is not the key it was saved under`,
    );
  }
  for (const name of requiredFields(type)) {
    if (data[name] === undefined || data[name] === null) {
      throw new EntityValidationError(
        `Entity ${type.name}[${id}]: missing value for non-nullable field \`${name}\``,
      );
    }
  }
  return data;
}

/** A stored scalar as text; anything else means the store was written by something else. */
function text(json: unknown): string {
  if (typeof json === "string") return json;
  if (typeof json === "number" || typeof json === "bigint" || typeof json === "boolean")
    return String(json);
  throw new EntityValidationError(`stored value ${JSON.stringify(json)} is not a scalar`);
}

function writeScalar(heap: AscHeap, kind: number, json: unknown): number {
  if (json === null || json === undefined) return heap.newEnum(ValueKind.NULL, 0, "StoreValue");
  switch (kind) {
    case ValueKind.STRING:
      return heap.newEnum(kind, heap.newString(text(json)), "StoreValue");
    case ValueKind.INT:
      return heap.newEnum(kind, BigInt.asUintN(64, BigInt(Number(json))), "StoreValue");
    case ValueKind.INT8:
    case ValueKind.TIMESTAMP:
      return heap.newEnum(kind, BigInt.asUintN(64, BigInt(Number(json))), "StoreValue");
    case ValueKind.BOOL:
      return heap.newEnum(kind, json === true ? 1 : 0, "StoreValue");
    case ValueKind.BYTES:
      return heap.newEnum(kind, heap.newBytes(hexToBytes(text(json))), "StoreValue");
    case ValueKind.BIGINT:
      return heap.newEnum(kind, heap.newBytes(bigIntToSignedLe(BigInt(text(json)))), "StoreValue");
    case ValueKind.BIGDECIMAL: {
      const decimal = decimalFromString(text(json));
      const digits = heap.newBytes(bigIntToSignedLe(decimal.digits));
      const exp = heap.newBytes(bigIntToSignedLe(decimal.exp));
      return heap.newEnum(kind, heap.newObject([digits, exp], "BigDecimal"), "StoreValue");
    }
    default:
      throw new EntityValidationError(`cannot write store value kind ${kind}`);
  }
}

/** Writes a stored entity as the `Entity` (TypedMap<string, Value>) store.get returns. */
export function writeEntity(
  heap: AscHeap,
  data: EntityData,
  type: EntityType,
  typesByName: ReadonlyMap<string, EntityType>,
): number {
  const entries: number[] = [];
  const infos = fieldInfos(type, typesByName);
  for (const key in data) {
    const json = data[key];
    const info = infos.get(key);
    // Fields removed from the schema since the entity was stored are not handed back.
    if (info === undefined) continue;
    const kind = info.kind;
    let value: number;
    if (info.field.list && Array.isArray(json)) {
      const elements = json.map((element: unknown) => writeScalar(heap, kind, element));
      value = heap.newEnum(
        ValueKind.ARRAY,
        heap.newArray(elements, "ArrayStoreValue"),
        "StoreValue",
      );
    } else {
      value = writeScalar(heap, kind, json);
    }
    entries.push(heap.newObject([heap.newString(key), value], "TypedMapEntryStringStoreValue"));
  }
  return heap.newObject(
    [heap.newArray(entries, "ArrayTypedMapEntryStringStoreValue")],
    "TypedMapStringStoreValue",
  );
}
