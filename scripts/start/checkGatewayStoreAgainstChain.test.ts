import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { openStore } from "@energy-intelligence/oracle/store/openStore";
import {
  checkGatewayStoreAgainstChain,
  StoreAheadOfChainError,
} from "./checkGatewayStoreAgainstChain.ts";

describe("checkGatewayStoreAgainstChain (resuming after a crash)", () => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ei-store-check-"));
    // A real, migrated gateway store with one anchored batch confirmed in block 50 and one
    // mined but not yet confirmed in block 60.
    const db = openStore({ dataDir: dir });
    try {
      const insert = db.prepare(
        `INSERT INTO anchor_batches (batch_ref, site_id, signer, nonce, signature, state, created_at_ms, mined_tx_hash, mined_block_number)
         VALUES (?, '0x01', '0x02', ?, '0x03', ?, 0, ?, ?)`,
      );
      insert.run(1, 0, "confirmed", `0x${"ab".repeat(32)}`, 50);
      insert.run(2, 1, "mined", `0x${"cd".repeat(32)}`, 60);
    } finally {
      db.close();
    }
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("passes when the journal reaches every confirmed transaction's block", async () => {
    // Block 60's batch is only mined: the anchorer checks it against the chain itself.
    await checkGatewayStoreAgainstChain(dir, 50);
  });

  it("refuses when a confirmed transaction's block was lost, naming it", async () => {
    await assert.rejects(
      checkGatewayStoreAgainstChain(dir, 49),
      (error: unknown) =>
        error instanceof StoreAheadOfChainError &&
        error.message.includes("block 50") &&
        error.message.includes(`0x${"ab".repeat(32)}`) &&
        error.message.includes("ends at block 49"),
    );
  });

  it("passes for a data directory without a gateway store", async () => {
    await checkGatewayStoreAgainstChain(path.join(dir, "missing"), 0);
  });
});
