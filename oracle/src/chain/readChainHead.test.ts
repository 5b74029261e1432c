import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import { createPublicClient, createTestClient, custom, type PublicClient } from "viem";
import { hardhat } from "viem/chains";
import { readChainHead } from "./readChainHead.ts";

// Hardhat's in-process EVM: no node to start for one read.
let connection: Awaited<ReturnType<typeof network.create>>;
let client: PublicClient;

before(async () => {
  connection = await network.create();
  // A long polling interval, as a gateway's clients may have: viem caches the head that long.
  client = createPublicClient({
    chain: hardhat,
    transport: custom(connection.provider),
    pollingInterval: 60_000,
  });
});
after(async () => {
  await connection.close();
});

describe("readChainHead", () => {
  it("sees a block mined right after a cached head read", async () => {
    const cached = await client.getBlockNumber();
    const tester = createTestClient({
      chain: hardhat,
      mode: "hardhat",
      transport: custom(connection.provider),
    });
    await tester.mine({ blocks: 1 });
    // The race the helper exists for: the client's own read still answers the old head.
    assert.equal(await client.getBlockNumber(), cached);
    assert.equal(await readChainHead(client), cached + 1n);
  });
});
