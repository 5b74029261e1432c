import { existsSync } from "node:fs";
import path from "node:path";

/** The gateway's store counts on a transaction the rebuilt chain does not have. */
export class StoreAheadOfChainError extends Error {
  override name = "StoreAheadOfChainError";
}

/**
 * Transactions the gateway treats as final, with the block it saw each in. Anything not final
 * (submitted, mined but unconfirmed) the gateway checks against the chain itself after a restart
 * and sends again when the chain lacks it; a final one it never looks at again.
 */
const FINAL_TRANSACTIONS = [
  {
    what: "anchored container batch",
    sql: "SELECT mined_tx_hash AS tx, mined_block_number AS block FROM anchor_batches WHERE state = 'confirmed' AND mined_block_number > ? ORDER BY mined_block_number LIMIT 1",
  },
  {
    what: "job stamp",
    sql: "SELECT tx_hash AS tx, block_number AS block FROM job_stamps WHERE state = 'confirmed' AND block_number > ? ORDER BY block_number LIMIT 1",
  },
  {
    what: "product lot",
    sql: "SELECT tx_hash AS tx, minted_block AS block FROM product_lots WHERE state = 'minted' AND minted_block > ? ORDER BY minted_block LIMIT 1",
  },
  {
    what: "certificate claim",
    sql: "SELECT tx_hash AS tx, block_number AS block FROM certificate_claims WHERE state = 'confirmed' AND block_number > ? ORDER BY block_number LIMIT 1",
  },
] as const;

/**
 * After a crash the chain journal can end a few blocks before what the gateway saw. Blocks with
 * nothing the gateway holds final are harmless (the indexer rolls back to the shorter chain like
 * after a reorg, the anchorer re-sends what it had not confirmed); a final transaction in a lost
 * block is not, since the gateway would never send it again. Refuses then, naming it.
 */
export async function checkGatewayStoreAgainstChain(
  gatewayDir: string,
  chainHead: number,
): Promise<void> {
  if (!existsSync(path.join(gatewayDir, "gateway.sqlite"))) return;
  const { openStore } = await import("@energy-intelligence/oracle/store/openStore");
  const db = openStore({ dataDir: gatewayDir, readonly: true });
  try {
    const tables = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((row) => row.name),
    );
    for (const { what, sql } of FINAL_TRANSACTIONS) {
      const table = /FROM (\w+)/u.exec(sql)?.[1] ?? "";
      if (!tables.has(table)) continue;
      const ahead = db.prepare<[number], { tx: string; block: number }>(sql).get(chainHead);
      if (ahead !== undefined)
        throw new StoreAheadOfChainError(
          `the gateway holds a confirmed ${what} (transaction ${ahead.tx}) in block ${ahead.block}, but the chain journal ends at block ${chainHead}: the blocks after it were lost when the earlier run stopped without flushing the journal (a crash or kill -9)`,
        );
    }
  } finally {
    db.close();
  }
}
