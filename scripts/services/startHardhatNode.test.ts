import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startHardhatNode } from "./startHardhatNode.ts";

describe("startHardhatNode", () => {
  it("serves JSON-RPC on 127.0.0.1 and mines on an interval when asked", async () => {
    const node = await startHardhatNode({ blockIntervalMs: 200 });
    try {
      assert.equal(node.chainId, 31337);
      const blockNumber = async (): Promise<number> => {
        const response = await fetch(node.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
        });
        const body = (await response.json()) as { result: string };
        return Number(body.result);
      };
      const first = await blockNumber();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.ok((await blockNumber()) > first, "blocks are mined without transactions");
    } finally {
      await node.stop();
    }
    assert.notEqual(node.process.exitCode ?? node.process.signalCode, null, "the node exited");
  });
});
