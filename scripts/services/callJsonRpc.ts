/**
 * One JSON-RPC call over HTTP, for the node-control methods viem has no action for on a plain
 * public client (`evm_*`, `hardhat_*`) and for the few plain calls made beside them. Throws the
 * node's error message, prefixed with the method.
 */
export async function callJsonRpc<T = unknown>(
  url: string,
  method: string,
  params: readonly unknown[] = [],
): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error !== undefined) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}
