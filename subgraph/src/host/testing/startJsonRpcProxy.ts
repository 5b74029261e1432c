/**
 * Test helper: an HTTP proxy on 127.0.0.1 in front of a JSON-RPC endpoint that records the methods
 * of each batch it passes and can refuse a POST the way a provider does (an HTTP status, with
 * `Retry-After` if given) instead of passing it on.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** An HTTP answer given instead of the endpoint's. */
export interface HttpRefusal {
  status: number;
  body: string;
  retryAfter?: string;
}

export interface JsonRpcProxy {
  url: string;
  /** The methods of each batch passed on, in order (single calls are not listed). */
  readonly batches: string[][];
  /** POSTs received, refused ones included. */
  posts: () => number;
  close: () => Promise<void>;
}

/** `refuse(n)` is asked for the n-th POST (from 1): an answer to give instead, or null. */
export async function startJsonRpcProxy(
  target: string,
  refuse: (post: number) => HttpRefusal | null = () => null,
): Promise<JsonRpcProxy> {
  const batches: string[][] = [];
  let posts = 0;
  const server = createServer((request, response) => {
    const refusal = refuse(++posts);
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      if (refusal !== null) {
        response.statusCode = refusal.status;
        if (refusal.retryAfter !== undefined) response.setHeader("retry-after", refusal.retryAfter);
        response.end(refusal.body);
        return;
      }
      const parsed = JSON.parse(body) as { method: string } | { method: string }[];
      if (Array.isArray(parsed)) batches.push(parsed.map((call) => call.method));
      void fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body })
        .then((answer) => answer.text())
        .then(
          (text) => {
            response.setHeader("content-type", "application/json");
            response.end(text);
          },
          () => {
            response.statusCode = 502;
            response.end();
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    batches,
    posts: () => posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
