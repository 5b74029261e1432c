import type { Migration } from "../migration.ts";

/**
 * Product lots the gateway mints (oracle/src/lots, docs/jobs-and-footprints.md).
 *
 * - `lot_watch`: how far JobStopped events have been read, per JobStamps address.
 * - `product_lots`: one row per lot, keyed by its on-chain id, created in the same
 *   transaction that advances the watch cursor past the JobStopped event that asked
 *   for it. `state` walks pending → signed → submitted → minted (or failed). The
 *   footprint document bytes, the signed Footprint and its signature are kept once
 *   signed, so a restart re-sends the very same mint instead of re-signing; the
 *   contract's one-lot-per-job rule and the footprint nonce make a second mint fail.
 */
export const migration0005ProductLots: Migration = {
  version: 5,
  name: "product-lots",
  up: `
    CREATE TABLE lot_watch (
      jobs_address   TEXT PRIMARY KEY,
      next_block     INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE product_lots (
      lot_id         TEXT PRIMARY KEY,
      site_id        TEXT NOT NULL,
      product_id     TEXT NOT NULL,
      job_ids        TEXT NOT NULL,
      state          TEXT NOT NULL CHECK (state IN ('pending','signed','submitted','minted','failed')),
      created_at_ms  INTEGER NOT NULL,
      cid            TEXT,
      document       BLOB,
      footprint      TEXT,
      signature      TEXT,
      tx_hash        TEXT,
      minted_block   INTEGER,
      attempts       INTEGER NOT NULL DEFAULT 0,
      next_attempt_at_ms INTEGER NOT NULL DEFAULT 0,
      last_error     TEXT
    ) STRICT;
    CREATE INDEX product_lots_state ON product_lots (state, next_attempt_at_ms);
  `,
  down: `
    DROP INDEX product_lots_state;
    DROP TABLE product_lots;
    DROP TABLE lot_watch;
  `,
};
