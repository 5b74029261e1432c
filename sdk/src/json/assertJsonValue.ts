import { InvalidInputError } from "../errors/index.ts";

/** A value RFC 8785 (JCS) can represent: JSON's data model, with finite numbers only. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. Properties set to `undefined` are allowed and left out, as `JSON.stringify` does. */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export type AssertJsonValueErrorType = InvalidInputError;

/** Appends a property name to a path, quoting names that are not plain identifiers. */
function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/u.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

// With the `u` flag a surrogate pair is one code point, so this matches only
// lone surrogates. (String.prototype.isWellFormed is ES2024, beyond our lib.)
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Checks that a value is JSON data that RFC 8785 (JCS) serialises to exactly
 * one string, and throws where it is not. The rules are stricter than
 * `JSON.stringify`, which silently turns several of these into `null` or
 * drops them; a hash over such output would commit to something other than
 * what the caller holds:
 *
 * - numbers must be finite (no `NaN`, `Infinity`); `bigint` is refused, so
 *   quantities that can exceed 2^53 must be written as decimal strings;
 * - arrays must not hold `undefined`, functions or symbols, nor holes;
 * - objects must be plain (`{}` or `Object.create(null)`): no `Date`, `Map`,
 *   class instances or boxed primitives, no symbol keys, no `toJSON`;
 * - object properties may be `undefined` (an absent optional field) and are
 *   then left out; functions and symbols as values are refused;
 * - strings and keys must be well-formed UTF-16 (no lone surrogates);
 * - no cycles.
 *
 * The walk is iterative, so deeply nested input cannot overflow the stack.
 *
 * @param value - what to check.
 * @param rootPath - how the error path names the value itself (default `$`).
 * @throws {InvalidInputError} with `path` naming the offending element, e.g. `$.readings[3].energy`.
 * @example
 * ```ts
 * assertJsonValue({ a: [1, "x", null] }); // passes
 * assertJsonValue({ a: [1n] }); // throws InvalidInputError, path "$.a[0]"
 * ```
 */
export function assertJsonValue(value: unknown, rootPath = "$"): asserts value is JsonValue {
  // Containers currently on the path from the root, to detect cycles while still
  // allowing the same object to appear twice side by side (a DAG is fine).
  const onPath = new Set<object>();
  const stack: { value: unknown; path: string; exit?: object }[] = [{ value, path: rootPath }];

  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.exit !== undefined) {
      onPath.delete(frame.exit);
      continue;
    }
    const { value: current, path } = frame;
    switch (typeof current) {
      case "string":
        if (LONE_SURROGATE.test(current))
          throw new InvalidInputError(path, "string holds a lone UTF-16 surrogate", {
            hints: ["JCS needs well-formed Unicode; fix the text at its source."],
          });
        continue;
      case "boolean":
        continue;
      case "number":
        if (!Number.isFinite(current))
          throw new InvalidInputError(path, `${current} is not a JSON number`, {
            hints: ["Only finite numbers can be serialised by JCS."],
          });
        continue;
      case "bigint":
        throw new InvalidInputError(path, "bigint is not JSON", {
          hints: ["Write integers that may exceed 2^53 as decimal strings."],
        });
      case "undefined":
        throw new InvalidInputError(path, "undefined is not JSON", {
          hints: ["Use null, or leave the element out."],
        });
      case "function":
      case "symbol":
        throw new InvalidInputError(path, `a ${typeof current} is not JSON`);
      case "object":
        break;
    }
    if (current === null) continue;

    if (onPath.has(current))
      throw new InvalidInputError(path, "circular reference", {
        hints: ["JSON is a tree: an object cannot contain itself."],
      });

    if (Array.isArray(current)) {
      onPath.add(current);
      stack.push({ value: undefined, path, exit: current });
      // Pushed in reverse so errors are reported for the first bad element first.
      for (let index = current.length - 1; index >= 0; index--) {
        if (!(index in current))
          throw new InvalidInputError(`${path}[${index}]`, "array hole is not JSON", {
            hints: ["Fill the hole with null or remove it."],
          });
        stack.push({ value: current[index] as unknown, path: `${path}[${index}]` });
      }
      continue;
    }

    if (!isPlainObject(current)) {
      const name = (current as { constructor?: { name?: unknown } }).constructor?.name;
      throw new InvalidInputError(
        path,
        `${typeof name === "string" ? name : "non-plain object"} is not a plain JSON object`,
        { hints: ["Convert it to plain data first (e.g. a Date to Unix milliseconds)."] },
      );
    }
    if (Object.getOwnPropertySymbols(current).length > 0)
      throw new InvalidInputError(path, "object has symbol keys, which JSON cannot hold");
    const record = current as Record<string, unknown>;
    if (typeof record.toJSON === "function")
      throw new InvalidInputError(childPath(path, "toJSON"), "toJSON methods are not allowed", {
        hints: ["Pass the plain data that toJSON would return instead."],
      });

    onPath.add(current);
    stack.push({ value: undefined, path, exit: current });
    // Reversed so the first bad member, in insertion order, is reported first.
    for (const key of Object.keys(record).toReversed()) {
      const keyPath = childPath(path, key);
      if (LONE_SURROGATE.test(key))
        throw new InvalidInputError(keyPath, "property name holds a lone UTF-16 surrogate");
      const child = record[key];
      // An absent optional field: JCS (like JSON.stringify) leaves the member out.
      if (child === undefined) continue;
      stack.push({ value: child, path: keyPath });
    }
  }
}
