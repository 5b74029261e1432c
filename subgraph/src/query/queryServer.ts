/**
 * graph-node's query endpoint for the embedded indexer: `POST /subgraphs/name/<name>`
 * (and `GET` with `?query=`), answering with graph-node's bodies, status codes and
 * CORS headers (server/http/src/service.rs), so the dapp and any The Graph client
 * work against it unchanged. `POST /graphql` is graph-node's index-node status API
 * (server/index-node/src/service.rs, its port 8030), here on the same port: status
 * tooling needs only the port changed. No GraphiQL page is served.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { z } from "zod";
import { ensureQueryIndexes } from "./ensureQueryIndexes.ts";
import { IndexingStatusApi, StatusRequestError, type ChainBlock } from "./indexingStatus.ts";
import { QueryEngine, type GraphQLRequest, type QueryResponse } from "./queryEngine.ts";
import { readEntitySchema } from "./readEntitySchema.ts";

/** Bodies larger than this are refused (graph-node sits behind proxies that cap them too). */
export const MAX_BODY_BYTES = 1024 * 1024;

const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "Content-Type, User-Agent",
  "Access-Control-Allow-Methods": "GET, OPTIONS, POST",
};

// graph-node's SubgraphName: segments of [A-Za-z0-9_-] joined by single slashes.
const SUBGRAPH_NAME = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;

export const queryServerOptionsSchema = z
  .object({
    /** The entity store file (opened read-only), or … */
    storeFile: z.string().min(1).optional(),
    /** … an open store connection shared with the indexer in this process. */
    db: z.custom<Database>((v) => typeof v === "object" && v !== null && "prepare" in v).optional(),
    /** schema.graphql of the subgraph. */
    schemaFile: z.string().min(1),
    /** The name served at /subgraphs/name/<name>, e.g. `energy-intelligence/local`. */
    name: z.string().regex(SUBGRAPH_NAME, "a subgraph name like org/name"),
    host: z.string().default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(0),
    /** The chain head for the status API's `chainHeadBlock` (the indexer's RPC endpoint). */
    chainHead: z
      .custom<() => Promise<ChainBlock | null>>((v) => typeof v === "function")
      .optional(),
  })
  .refine((o) => (o.storeFile === undefined) !== (o.db === undefined), {
    error: "give exactly one of storeFile and db",
  });

export type QueryServerOptions = z.input<typeof queryServerOptionsSchema>;

export interface QueryServer {
  /** The query URL: `http://host:port/subgraphs/name/<name>`. */
  url: string;
  /** The engine behind it (tests and in-process callers may query without HTTP). */
  engine: QueryEngine;
  /** graph-node's index-node status API: `http://host:port/graphql`. */
  statusUrl: string;
  close(): Promise<void>;
}

class ClientError extends Error {
  override name = "ClientError";
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  extraHeaders: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...CORS_HEADERS,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...extraHeaders,
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new PayloadTooLargeError());
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      resolve(Buffer.concat(chunks));
    });
    request.on("error", reject);
  });
}

class PayloadTooLargeError extends Error {
  override name = "PayloadTooLargeError";
}

/** graph-node's parse_graphql_request: the checks and messages of its 400 answers. */
export function parseRequestBody(body: Buffer): GraphQLRequest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new ClientError(error instanceof Error ? error.message : "invalid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ClientError("Request data is not an object");
  }
  const object = json as Record<string, unknown>;
  if (!("query" in object)) throw new ClientError('The "query" field is missing in request data');
  if (typeof object.query !== "string") throw new ClientError('The "query" field is not a string');
  const variables = object.variables;
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== "object" || Array.isArray(variables))
  ) {
    throw new ClientError("Invalid query variables provided");
  }
  const operationName = typeof object.operationName === "string" ? object.operationName : null;
  return {
    query: object.query,
    variables: (variables as Record<string, unknown> | null | undefined) ?? null,
    operationName,
  };
}

function requestFromSearch(search: URLSearchParams): GraphQLRequest {
  const query = search.get("query");
  if (query === null) throw new ClientError('The "query" field is missing in request data');
  const variablesText = search.get("variables");
  let variables: Record<string, unknown> | null = null;
  if (variablesText !== null && variablesText !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(variablesText);
    } catch {
      throw new ClientError("Invalid query variables provided");
    }
    if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) {
      throw new ClientError("Invalid query variables provided");
    }
    variables = parsed as Record<string, unknown> | null;
  }
  return { query, variables, operationName: search.get("operationName") };
}

/** Where graph-node's index node serves the status API (on its own port, 8030). */
export const STATUS_PATH = "/graphql";

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    "Access-Control-Allow-Origin": "*",
    "Content-Type": "text/plain",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

/**
 * graph-node's index-node ValidatedRequest: the body must be a JSON object with a string `query`
 * and object (or null) `variables`; the messages are its own, its missing space included.
 */
function parseStatusBody(body: Buffer): GraphQLRequest {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new StatusRequestError("client", error instanceof Error ? error.message : "invalid JSON");
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new StatusRequestError("client", "ValidatedRequest data is not an object");
  }
  const object = json as Record<string, unknown>;
  if (!("query" in object)) {
    throw new StatusRequestError("client", 'The "query" field is missing in request data');
  }
  if (typeof object.query !== "string") {
    throw new StatusRequestError("client", 'The"query" field is not a string');
  }
  const variables = object.variables;
  if (
    variables !== undefined &&
    variables !== null &&
    (typeof variables !== "object" || Array.isArray(variables))
  ) {
    throw new StatusRequestError("client", "Invalid query variables provided");
  }
  return {
    query: object.query,
    variables: (variables as Record<string, unknown> | null | undefined) ?? null,
    operationName: typeof object.operationName === "string" ? object.operationName : null,
  };
}

/** `/graphql`: graph-node's index-node routes, status codes and plain-text 400 bodies. */
async function handleStatus(
  api: IndexingStatusApi,
  method: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (method === "OPTIONS") {
    response.writeHead(200, { ...CORS_HEADERS, "Content-Type": "text/plain" });
    response.end();
    return;
  }
  if (method === "GET") {
    // graph-node redirects to its GraphiQL playground here; this server has none.
    send(response, 200, {
      message: `POST an index-node status query as {"query": "{ indexingStatuses { subgraph synced health } }"} to ${STATUS_PATH}`,
    });
    return;
  }
  if (method !== "POST") {
    sendText(response, 404, "Not found\n");
    return;
  }
  const body = await readBody(request);
  try {
    const result = await api.execute(parseStatusBody(body));
    send(response, 200, result);
  } catch (error) {
    if (!(error instanceof StatusRequestError)) throw error;
    sendText(
      response,
      400,
      error.kind === "client"
        ? `Invalid request: GraphQL server error (client error): ${error.message}`
        : `Query error: GraphQL server error (query error): ${error.message}`,
    );
  }
}

/**
 * Starts the query server.
 *
 * @example
 * ```ts
 * const server = await startQueryServer({
 *   storeFile: "data/subgraph.sqlite",
 *   schemaFile: "subgraph/schema.graphql",
 *   name: "energy-intelligence/local",
 *   port: 8000,
 * });
 * console.log(`subgraph: ${server.url}`);
 * ```
 */
export async function startQueryServer(options: QueryServerOptions): Promise<QueryServer> {
  const config = queryServerOptionsSchema.parse(options);
  const entitySchema = readEntitySchema(readFileSync(config.schemaFile, "utf8"));
  let db: Database;
  let ownsDb = false;
  if (config.db !== undefined) {
    db = config.db;
    if (!db.readonly) ensureQueryIndexes(db, entitySchema);
  } else {
    const file = config.storeFile ?? "";
    // Indexes are created through a short-lived writable connection; queries then run on
    // a read-only one, so the query side can never change what the indexer wrote.
    const writer = new BetterSqlite3(file, { fileMustExist: true, timeout: 5000 });
    try {
      ensureQueryIndexes(writer, entitySchema);
    } finally {
      writer.close();
    }
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true, timeout: 5000 });
    ownsDb = true;
  }
  const engine = new QueryEngine(db, entitySchema);
  const status = new IndexingStatusApi({
    db,
    entitySchema,
    name: config.name,
    ...(config.chainHead === undefined ? {} : { chainHead: config.chainHead }),
  });
  const basePath = `/subgraphs/name/${config.name}`;

  const answer = (response: ServerResponse, result: QueryResponse): void => {
    // graph-node answers every executed query with 200, errors included.
    send(response, 200, result, { "Graph-Attestable": "true" });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const pathname = url.pathname.replace(/\/+$/, "") || "/";
    const method = request.method ?? "GET";

    if (method === "GET" && pathname === "/") {
      send(response, 200, {
        message:
          "Access deployed subgraphs by deployment ID at /subgraphs/id/<ID> or by name at /subgraphs/name/<NAME>",
      });
      return;
    }
    if (pathname === STATUS_PATH) {
      await handleStatus(status, method, request, response);
      return;
    }
    if (!pathname.startsWith("/subgraphs/name/")) {
      send(response, 200, { message: "Not found" });
      return;
    }
    const name = pathname.slice("/subgraphs/name/".length);
    if (method === "OPTIONS") {
      response.writeHead(200, { ...CORS_HEADERS, "Content-Type": "text/html; charset=utf-8" });
      response.end();
      return;
    }
    if (method !== "GET" && method !== "POST") {
      send(response, 200, { message: "Not found" });
      return;
    }
    if (method === "POST") {
      if (request.headers["content-type"] === undefined) {
        send(response, 400, { error: "Content-Type header is required" });
        return;
      }
    }
    if (!SUBGRAPH_NAME.test(name)) {
      send(response, 400, { error: `Invalid subgraph name ${JSON.stringify(name)}` });
      return;
    }

    let graphqlRequest: GraphQLRequest;
    if (method === "GET") {
      if (!url.searchParams.has("query")) {
        // graph-node redirects to its GraphiQL page here; this server has none.
        send(response, 200, {
          message: `POST a GraphQL query as {"query": "..."} to ${basePath}, or GET ${basePath}?query=...`,
        });
        return;
      }
      if (url.searchParams.get("query")?.trim().toLowerCase().startsWith("mutation") === true) {
        send(response, 400, { error: "Can't use mutations with GET method" });
        return;
      }
      graphqlRequest = requestFromSearch(url.searchParams);
    } else {
      const body = await readBody(request);
      if (body.length === 0) {
        send(response, 400, { error: "Body is required" });
        return;
      }
      graphqlRequest = parseRequestBody(body);
    }
    if (name !== config.name) {
      answer(response, { errors: [{ message: `deployment \`${name}\` does not exist` }] });
      return;
    }
    answer(response, engine.execute(graphqlRequest));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof ClientError) {
        send(response, 400, { error: error.message });
      } else if (error instanceof PayloadTooLargeError) {
        send(
          response,
          413,
          { error: `Body larger than ${MAX_BODY_BYTES} bytes` },
          {
            Connection: "close",
          },
        );
      } else {
        const message = error instanceof Error ? error.message : String(error);
        response.writeHead(500, { ...CORS_HEADERS, "Content-Type": "text/plain; charset=utf-8" });
        response.end(`Internal server error: ${message}`);
      }
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}${basePath}`,
    engine,
    statusUrl: `http://${host}:${address.port}${STATUS_PATH}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (ownsDb) db.close();
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
