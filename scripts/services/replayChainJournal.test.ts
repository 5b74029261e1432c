import assert from "node:assert/strict";
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  createPublicClient,
  createWalletClient,
  http,
  parseEther,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { DEMO_KEYS } from "../start/demoAccounts.ts";
import {
  ChainJournalError,
  ChainJournalWriter,
  readChainJournal,
  type ChainJournal,
} from "./chainJournal.ts";
import { rawTransactionOf, UnjournalableTransactionError } from "./rawTransaction.ts";
import { startChainRecorder } from "./recordChain.ts";
import { ReplayMismatchError, replayChainJournal } from "./replayChainJournal.ts";
import { startHardhatNode, type HardhatNode } from "./startHardhatNode.ts";
import { callJsonRpc } from "./callJsonRpc.ts";

const RECIPIENTS: Address[] = [
  "0x00000000000000000000000000000000000000a1",
  "0x00000000000000000000000000000000000000a2",
];

describe("chain journal and replay", () => {
  // A date in the past, as a restarted data directory's would be.
  const initialDate = new Date(Date.now() - 3_600_000).toISOString();
  const stops: (() => Promise<unknown>)[] = [];
  let dir: string;
  let journalFile: string;
  let recorded: HardhatNode;
  let fresh: HardhatNode;
  let another: HardhatNode;
  let recordedClient: PublicClient;
  let journal: ChainJournal;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ei-chain-journal-"));
    stops.push(() => rm(dir, { recursive: true, force: true }));
    journalFile = path.join(dir, "journal.jsonl");
    const starting = [
      startHardhatNode({ initialDate }),
      startHardhatNode({ initialDate }),
      startHardhatNode({ initialDate }),
    ] as const;
    for (const node of starting) stops.push(async () => (await node.catch(() => null))?.stop());
    [recorded, fresh, another] = await Promise.all(starting);
    recordedClient = createPublicClient({ chain: hardhat, transport: http(recorded.rpcUrl) });

    const genesis = await recordedClient.getBlock({ blockNumber: 0n });
    const writer = await ChainJournalWriter.create(journalFile, {
      chainId: recorded.chainId,
      initialDate,
      genesisHash: genesis.hash,
    });
    const errors: Error[] = [];
    const recorder = startChainRecorder({
      rpcUrl: recorded.rpcUrl,
      journal: writer,
      fromBlock: 1,
      pollIntervalMs: 50,
      emptyRunMaxBlocks: 4,
      onError: (error) => errors.push(error),
    });
    stops.push(() => recorder.stop().catch(() => undefined));

    const wallets = [DEMO_KEYS.admin, DEMO_KEYS.siteManager].map((key) =>
      createWalletClient({
        chain: hardhat,
        transport: http(recorded.rpcUrl),
        account: privateKeyToAccount(key),
      }),
    );
    const [admin, manager] = wallets;
    assert.ok(admin && manager);
    // Automine: a block per transaction.
    for (const to of RECIPIENTS) {
      const hash = await admin.sendTransaction({ to, value: parseEther("1") });
      await recordedClient.waitForTransactionReceipt({ hash });
    }
    // A run of 9 empty blocks a second apart (written as runs of at most 4), then two empty
    // blocks 7 s apart.
    const mineEmpty = async (count: number): Promise<void> => {
      // As interval mining does: a block at a time, a second apart (hardhat_mine would reserve
      // placeholder blocks).
      const { timestamp: last } = await recordedClient.getBlock();
      for (let index = 1; index <= count; index++)
        await callJsonRpc(recorded.rpcUrl, "evm_mine", [Number(last) + index]);
    };
    await mineEmpty(9);
    const { timestamp } = await recordedClient.getBlock();
    await callJsonRpc(recorded.rpcUrl, "evm_mine", [Number(timestamp) + 7]);
    await callJsonRpc(recorded.rpcUrl, "evm_mine", [Number(timestamp) + 14]);
    // Three transactions of two senders in one block, then a contract creation alone.
    await callJsonRpc(recorded.rpcUrl, "evm_setAutomine", [false]);
    await admin.sendTransaction({ to: RECIPIENTS[0], value: 5n });
    await manager.sendTransaction({ to: RECIPIENTS[1], value: 7n });
    await admin.sendTransaction({ to: RECIPIENTS[1], value: 11n });
    await callJsonRpc(recorded.rpcUrl, "evm_mine", []);
    // Init code that returns a one-byte runtime (STOP): MSTORE8 0 at 0, RETURN 1 byte from 0.
    await manager.sendTransaction({ data: "0x600060005360016000f3" });
    await callJsonRpc(recorded.rpcUrl, "evm_mine", []);
    await mineEmpty(3);
    await recorder.stop();
    assert.deepEqual(errors, []);
    journal = await readChainJournal(journalFile);
  });

  after(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  it("records every block: transactions as raw bytes, empty blocks as runs", async () => {
    const head = Number(await recordedClient.getBlockNumber());
    assert.equal(journal.head, head);
    assert.equal(journal.tornTail, false);
    const kinds = journal.entries.map((entry) =>
      entry.kind === "empty"
        ? `empty×${entry.count}`
        : entry.kind === "block"
          ? `block×${entry.transactions.length}`
          : entry.kind,
    );
    assert.deepEqual(kinds, [
      "block×1",
      "block×1",
      "empty×4",
      "empty×4",
      // The ninth block and the two 7 s apart: one run at a 7 s interval.
      "empty×3",
      "block×3",
      "block×1",
      "empty×3",
    ]);
    const lines = (await readFile(journalFile, "utf8")).trimEnd().split("\n");
    assert.equal(lines.length, kinds.length + 1, "a header line and a line per entry");
  });

  it("replays into a fresh node with the same genesis: the same blocks and state", async () => {
    const seen: number[] = [];
    await replayChainJournal({
      rpcUrl: fresh.rpcUrl,
      journal,
      progress: (done) => seen.push(done),
    });
    assert.equal(seen.at(-1), journal.head);
    const replayedClient = createPublicClient({ chain: hardhat, transport: http(fresh.rpcUrl) });
    assert.equal(await replayedClient.getBlockNumber(), BigInt(journal.head));
    for (let number = 0n; number <= BigInt(journal.head); number++) {
      const [original, replayed] = await Promise.all([
        recordedClient.getBlock({ blockNumber: number }),
        replayedClient.getBlock({ blockNumber: number }),
      ]);
      assert.equal(replayed.hash, original.hash, `block ${number}`);
    }
    const sender = privateKeyToAccount(DEMO_KEYS.admin).address;
    for (const address of [...RECIPIENTS, sender]) {
      assert.equal(
        await replayedClient.getBalance({ address }),
        await recordedClient.getBalance({ address }),
      );
    }
    // The node's clock carries on from now, not from the last replayed timestamp.
    await callJsonRpc(fresh.rpcUrl, "evm_mine", []);
    const next = await replayedClient.getBlock();
    assert.ok(Math.abs(Number(next.timestamp) - Date.now() / 1000) < 5, "next block is at now");
  });

  it("names the first block whose replayed hash differs", async () => {
    const tampered = structuredClone(journal);
    const index = tampered.entries.findIndex((entry) => entry.kind === "block" && entry.number > 5);
    const entry = tampered.entries[index];
    assert.ok(entry?.kind === "block");
    entry.timestamp += 1;
    await assert.rejects(
      replayChainJournal({ rpcUrl: another.rpcUrl, journal: tampered }),
      (error: unknown) =>
        error instanceof ReplayMismatchError &&
        error.blockNumber === entry.number &&
        error.message.includes(`block ${entry.number}`),
    );
    const otherGenesis = structuredClone(journal);
    otherGenesis.header.genesisHash = `0x${"11".repeat(32)}`;
    await assert.rejects(
      replayChainJournal({ rpcUrl: recorded.rpcUrl, journal: otherGenesis }),
      /block 0 \(genesis\).*another genesis/u,
    );
  });

  it("drops a torn last line, and the writer cuts it off before appending", async () => {
    const copy = path.join(dir, "torn.jsonl");
    const text = await readFile(journalFile, "utf8");
    await writeFile(copy, `${text}{"kind":"block","number":${journal.head + 1},"timest`);
    const torn = await readChainJournal(copy);
    assert.equal(torn.tornTail, true);
    assert.equal(torn.head, journal.head);
    assert.deepEqual(torn.entries, journal.entries);
    const writer = await ChainJournalWriter.append(copy, torn);
    await writer.write([
      {
        kind: "empty",
        number: journal.head + 1,
        count: 2,
        timestamp: (journal.headTimestamp ?? 0) + 1,
        intervalSeconds: 1,
        hash: `0x${"22".repeat(32)}`,
      },
    ]);
    await writer.close();
    const appended = await readChainJournal(copy);
    assert.equal(appended.tornTail, false);
    assert.equal(appended.head, journal.head + 2);

    // A garbled last line (zero bytes after a power loss) is torn too; one in the middle is not.
    const garbled = path.join(dir, "garbled.jsonl");
    await writeFile(garbled, text);
    await appendFile(garbled, `${"\u0000".repeat(40)}\n`);
    assert.equal((await readChainJournal(garbled)).head, journal.head);
    const lines = text.split("\n");
    lines[3] = "{not json";
    await writeFile(garbled, lines.join("\n"));
    await assert.rejects(readChainJournal(garbled), (error: unknown) => {
      return error instanceof ChainJournalError && error.message.includes("line 4 ");
    });
  });

  it("refuses to journal a transaction it cannot rebuild (an impersonated sender's)", async () => {
    // Recording goes on where the journal ended, in a copy of it.
    const copy = path.join(dir, "impersonated.jsonl");
    await writeFile(copy, await readFile(journalFile));
    const errors: Error[] = [];
    const recorder = startChainRecorder({
      rpcUrl: recorded.rpcUrl,
      journal: await ChainJournalWriter.append(copy, journal),
      fromBlock: journal.head + 1,
      pollIntervalMs: 50,
      onError: (error) => errors.push(error),
    });
    const impersonated = "0x00000000000000000000000000000000000000b0";
    await callJsonRpc(recorded.rpcUrl, "hardhat_setBalance", [impersonated, "0xde0b6b3a7640000"]);
    await callJsonRpc(recorded.rpcUrl, "hardhat_impersonateAccount", [impersonated]);
    const hash = await callJsonRpc<Hex>(recorded.rpcUrl, "eth_sendTransaction", [
      { from: impersonated, to: RECIPIENTS[0], value: "0x1" },
    ]);
    await callJsonRpc(recorded.rpcUrl, "evm_mine", []);
    const tx = await recordedClient.getTransaction({ hash });
    await assert.rejects(rawTransactionOf(tx), UnjournalableTransactionError);
    await recorder.stop();
    assert.match(errors[0]?.message ?? "", /cannot be resumed/u);
    const stopped = await readChainJournal(copy);
    const last = stopped.entries.at(-1);
    assert.equal(last?.kind, "unjournaled");
    assert.equal(last.number, journal.head + 1);
  });
});
