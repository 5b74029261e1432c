import type { Database } from "better-sqlite3";
import { migration0008PactExchange } from "../store/migrations/0008-pact-exchange.ts";

/**
 * Creates the PACT tables on a store that lacks them (migration 0008 on its
 * own: it references no other table), until the migrations list carries it.
 */
export function ensurePactTables(db: Database): void {
  const has =
    db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'pact_clients'").get() !== undefined;
  if (!has) db.exec(migration0008PactExchange.up);
}
