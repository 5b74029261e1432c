/**
 * Query errors with graph-node's wording (graph/src/data/query/error.rs), so a
 * client that matches on messages behaves the same against either server.
 */

/** A query-level error: its message goes out as `{ "message": … }` exactly. */
export class QueryExecutionError extends Error {
  override name = "QueryExecutionError";
}

/** graph-node's `RangeArgumentsError`. */
export function rangeArgumentError(
  argument: string,
  max: number,
  actual: number,
): QueryExecutionError {
  return new QueryExecutionError(
    `The \`${argument}\` argument must be between 0 and ${max}, but is ${actual}`,
  );
}

/** graph-node's `ValueParseError`: a value that does not decode as its type. */
export function valueParseError(type: string, reason: string): QueryExecutionError {
  return new QueryExecutionError(`Failed to decode \`${type}\` value: \`${reason}\``);
}

/** graph-node's `OrderByNotSupportedError`. */
export function orderByNotSupported(entity: string, field: string): QueryExecutionError {
  return new QueryExecutionError(
    `Ordering by \`${field}\` is not supported for type \`${entity}\``,
  );
}

/** graph-node's `FilterNotSupportedError`. */
export function filterNotSupported(value: string, filter: string): QueryExecutionError {
  return new QueryExecutionError(`Filter not supported by value \`${value}\`: \`${filter}\``);
}

/** graph-node's `AmbiguousDerivedFromResult`. */
export function ambiguousDerivedResult(
  field: string,
  targetType: string,
  targetField: string,
): QueryExecutionError {
  return new QueryExecutionError(
    `Ambiguous result for derived field \`${field}\`: Multiple \`${targetType}\` entities refer back via \`${targetField}\``,
  );
}

/** The message graph-node puts in `errors` when the deployment has indexing errors. */
export const INDEXING_ERROR_MESSAGE = "indexing_error";
