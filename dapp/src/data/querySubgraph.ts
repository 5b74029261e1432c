import type { z } from "zod";
import { ServiceUnavailableError } from "./serviceErrors.ts";

/**
 * One GraphQL query against the subgraph (graph-node's query API, or the embedded indexer's),
 * with the answer checked by `schema`. Server-side: pages render the data, so the browser never
 * needs to reach the indexer. A service that is down or answers with errors is a
 * ServiceUnavailableError the page turns into "what happened, what to do".
 */
export async function querySubgraph<Schema extends z.ZodType>(parameters: {
  url: string;
  query: string;
  variables?: Record<string, unknown>;
  schema: Schema;
  timeoutMs?: number;
}): Promise<z.infer<Schema>> {
  let response: Response;
  try {
    response = await fetch(parameters.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: parameters.query, variables: parameters.variables ?? {} }),
      signal: AbortSignal.timeout(parameters.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new ServiceUnavailableError(
      "indexer",
      parameters.url,
      `did not answer (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ServiceUnavailableError(
      "indexer",
      parameters.url,
      `answered ${response.status}, not JSON`,
    );
  }
  const errors = (body as { errors?: { message?: string }[] } | null)?.errors;
  if (!response.ok || (errors !== undefined && errors.length > 0)) {
    const message = errors?.map((error) => error.message ?? "").join("; ") ?? "";
    throw new ServiceUnavailableError(
      "indexer",
      parameters.url,
      `answered ${response.status}${message === "" ? "" : `: ${message}`}`,
    );
  }
  const parsed = parameters.schema.safeParse((body as { data?: unknown }).data);
  if (!parsed.success) {
    throw new ServiceUnavailableError(
      "indexer",
      parameters.url,
      `answered with data this dapp does not understand (${parsed.error.issues[0]?.message ?? "?"})`,
    );
  }
  return parsed.data;
}
