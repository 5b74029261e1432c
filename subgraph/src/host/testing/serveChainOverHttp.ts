/**
 * Test helper: an in-process chain behind a JSON-RPC HTTP endpoint on 127.0.0.1 (single calls and
 * batches, the wire format a remote node speaks), with a hook to answer a call differently (an
 * error, a missing block) the way a node would.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RpcRequest {
  id: number;
  method: string;
  params?: unknown[];
}

/** A JSON-RPC answer body for one call: `result` or `error`. */
export type RpcAnswer = { result: unknown } | { error: { code: number; message: string } };

export interface ChainOverHttp {
  url: string;
  /** Calls per POST, in the order received. */
  readonly posts: number[];
  close(): Promise<void>;
}

export async function serveChainOverHttp(
  provider: { request(call: { method: string; params?: unknown[] }): Promise<unknown> },
  answerInstead: (call: RpcRequest) => RpcAnswer | undefined = () => undefined,
): Promise<ChainOverHttp> {
  const posts: number[] = [];
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    request.on("end", () => {
      const body = JSON.parse(text) as unknown;
      const calls = (Array.isArray(body) ? body : [body]) as RpcRequest[];
      posts.push(calls.length);
      void Promise.all(
        calls.map(async (call) => {
          const instead = answerInstead(call);
          if (instead !== undefined) return { jsonrpc: "2.0", id: call.id, ...instead };
          const { method, params } = call;
          const result = await provider.request(
            params === undefined ? { method } : { method, params },
          );
          return { jsonrpc: "2.0", id: call.id, result };
        }),
      ).then((answers) => {
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
