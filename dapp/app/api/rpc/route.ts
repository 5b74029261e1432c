import { readRuntimeConfig } from "../../../src/config/readRuntimeConfig.ts";

/**
 * Same-origin JSON-RPC for the browser's reads (the verify page), forwarded to EI_DAPP_RPC_URL.
 * Only read methods pass, so this is never a relay for transactions; wallets send those through
 * their own RPC.
 */
const READ_METHODS = new Set([
  "eth_chainId",
  "eth_blockNumber",
  "eth_call",
  "eth_getLogs",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getCode",
  "net_version",
]);

interface RpcRequest {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
}

function refusal(request: RpcRequest): Record<string, unknown> | undefined {
  if (typeof request.method === "string" && READ_METHODS.has(request.method)) return undefined;
  return {
    jsonrpc: "2.0",
    id: request.id ?? null,
    error: { code: -32601, message: `${String(request.method)} is not served here (reads only)` },
  };
}

export async function POST(request: Request) {
  const runtime = await readRuntimeConfig();
  if (!runtime.ok) return Response.json({ error: "the dapp is not configured" }, { status: 503 });
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json(
      { jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } },
      { status: 400 },
    );
  }
  const requests = (Array.isArray(body) ? body : [body]) as RpcRequest[];
  if (requests.length === 0 || requests.length > 100) {
    return Response.json(
      { jsonrpc: "2.0", id: null, error: { code: -32600, message: "1 to 100 requests" } },
      { status: 400 },
    );
  }
  const refused = requests.map(refusal);
  if (refused.some((entry) => entry !== undefined)) {
    const answers = refused.map(
      (entry, index) =>
        entry ?? {
          jsonrpc: "2.0",
          id: requests[index]?.id ?? null,
          error: { code: -32600, message: "batch refused" },
        },
    );
    return Response.json(Array.isArray(body) ? answers : answers[0]);
  }
  try {
    const upstream = await fetch(runtime.config.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
      cache: "no-store",
    });
    return new Response(upstream.body, {
      status: upstream.status,
      headers: { "content-type": upstream.headers.get("content-type") ?? "application/json" },
    });
  } catch (error) {
    return Response.json(
      {
        jsonrpc: "2.0",
        id: null,
        error: {
          code: -32603,
          message: `the chain's RPC endpoint did not answer: ${error instanceof Error ? error.message : String(error)}`,
        },
      },
      { status: 502 },
    );
  }
}
