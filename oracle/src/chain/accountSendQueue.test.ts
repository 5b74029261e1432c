import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type Hex, createPublicClient, http, keccak256, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { startHardhatNode, type HardhatNode } from "../../../scripts/services/startHardhatNode.ts";
import { AccountSendQueue } from "./accountSendQueue.ts";
import { HARDHAT_ORACLE_KEY } from "./testing/deployTestContracts.ts";

/*
 * Two senders on one key, as the anchorer, the stamp submitter and the lot minter are when
 * no relayer key is set: each reads the pending nonce, works a little (gas estimate, fees),
 * signs and broadcasts, exactly as submitBatch and StampSubmitter do.
 */
describe("AccountSendQueue: concurrent senders sharing one key", () => {
  let node: HardhatNode;
  const account = privateKeyToAccount(HARDHAT_ORACLE_KEY);
  let client: ReturnType<typeof createPublicClient>;
  let chainId: number;

  before(async () => {
    node = await startHardhatNode();
    chainId = node.chainId;
    client = createPublicClient({ transport: http(node.rpcUrl), pollingInterval: 50 });
  });
  after(async () => {
    await node.stop();
  });

  /** One sender's step: nonce, some awaited work, sign, broadcast; returns the hash it sent. */
  const send = async (to: Hex): Promise<Hex> => {
    const nonce = await client.getTransactionCount({
      address: account.address,
      blockTag: "pending",
    });
    await sleep(30); // the estimateGas / fee round trips of the real senders
    const fees = await client.estimateFeesPerGas();
    const raw = await account.signTransaction({
      chainId,
      type: "eip1559",
      to,
      value: parseEther("0.001"),
      gas: 21_000n,
      nonce,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    await client.sendRawTransaction({ serializedTransaction: raw });
    return keccak256(raw);
  };
  const recipients = () =>
    Array.from({ length: 4 }, () => privateKeyToAccount(generatePrivateKey()).address);

  it("without the queue, senders pick the same nonce and all but one are refused", async () => {
    const results = await Promise.allSettled(recipients().map((to) => send(to)));
    const refused = results.filter((result) => result.status === "rejected");
    assert.ok(refused.length >= 1, "expected a nonce collision without the queue");
  });

  it("with the queue, every transaction lands with its own nonce, in order", async () => {
    const queue = new AccountSendQueue();
    const before = await client.getTransactionCount({ address: account.address });
    const to = recipients();
    const hashes = await Promise.all(
      to.map((recipient) =>
        queue.run({ chainId, address: account.address }, () => send(recipient)),
      ),
    );
    const receipts = await Promise.all(
      hashes.map((hash) => client.waitForTransactionReceipt({ hash })),
    );
    assert.deepEqual(
      receipts.map((receipt) => receipt.status),
      ["success", "success", "success", "success"],
    );
    const nonces = await Promise.all(
      hashes.map(async (hash) => (await client.getTransaction({ hash })).nonce),
    );
    assert.deepEqual(nonces, [before, before + 1, before + 2, before + 3]);
    for (const recipient of to)
      assert.equal(await client.getBalance({ address: recipient }), parseEther("0.001"));
    assert.equal(queue.busyAccounts, 0);
  });

  it("a sender that throws does not block the next one", async () => {
    const queue = new AccountSendQueue();
    const key = { chainId, address: account.address };
    const failed = queue.run(key, () => Promise.reject(new Error("estimate reverted")));
    const next = queue.run(key, () => send(recipients()[0] ?? account.address));
    await assert.rejects(failed, /estimate reverted/u);
    const receipt = await client.waitForTransactionReceipt({ hash: await next });
    assert.equal(receipt.status, "success");
  });

  it("different accounts do not wait on each other", async () => {
    const queue = new AccountSendQueue();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const held = queue.run({ chainId, address: account.address }, async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      order.push("a");
    });
    await queue.run({ chainId, address: privateKeyToAccount(generatePrivateKey()).address }, () => {
      order.push("b");
      return Promise.resolve();
    });
    release();
    await held;
    assert.deepEqual(order, ["b", "a"]);
  });
});
