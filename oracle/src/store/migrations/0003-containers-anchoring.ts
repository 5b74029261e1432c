import type { Migration } from "../migration.ts";

/**
 * Interval containers and their anchoring state machine (oracle/README.md,
 * "Anchoring").
 *
 * - `container_streams`: per (site, stream), the first period not yet closed
 *   and the end boundaries of the last closed one (handed to the next container
 *   so consecutive containers sum exactly to the meter).
 * - `containers`: one row per (site, stream, period, revision), created in the
 *   same transaction that advances the stream's cursor, so a period is closed
 *   once and built once. The document bytes are kept: a crash between building
 *   and storing in IPFS must put the same bytes, never rebuild different ones.
 *   `state` walks built → stored → submitted → confirmed.
 * - `anchor_batches`: one oracle signature over many headers, sent as one
 *   transaction with one nonce; `anchor_transactions` every signed transaction
 *   for that nonce (the first, and fee-bumped replacements), raw, so a restart
 *   can look each up by hash and re-broadcast the very same bytes.
 * - A readings index by (device, channel, time) for closing and the chart API.
 */
export const migration0003ContainersAnchoring: Migration = {
  version: 3,
  name: "containers-anchoring",
  up: `
    CREATE INDEX readings_device_channel_time ON readings (device_ref, channel, timestamp_ms);
    CREATE TABLE container_streams (
      site_id               TEXT NOT NULL,
      stream_id             TEXT NOT NULL,
      period_ms             INTEGER NOT NULL CHECK (period_ms > 0),
      next_period_start_ms  INTEGER NOT NULL,
      end_boundaries        TEXT,
      late_checked_reading_id INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (site_id, stream_id)
    ) STRICT;
    CREATE TABLE anchor_batches (
      batch_ref           INTEGER PRIMARY KEY,
      site_id             TEXT NOT NULL,
      signer              TEXT NOT NULL,
      nonce               INTEGER NOT NULL,
      signature           TEXT NOT NULL,
      state               TEXT NOT NULL CHECK (state IN ('submitted','mined','confirmed','abandoned')),
      created_at_ms       INTEGER NOT NULL,
      mined_tx_hash       TEXT,
      mined_block_number  INTEGER,
      mined_block_hash    TEXT,
      confirmed_at_ms     INTEGER,
      note                TEXT
    ) STRICT;
    CREATE INDEX anchor_batches_state ON anchor_batches (state, batch_ref);
    CREATE TABLE anchor_transactions (
      tx_hash                   TEXT PRIMARY KEY,
      batch_ref                 INTEGER NOT NULL REFERENCES anchor_batches (batch_ref),
      nonce                     INTEGER NOT NULL,
      raw                       TEXT NOT NULL,
      max_fee_per_gas           TEXT NOT NULL,
      max_priority_fee_per_gas  TEXT NOT NULL,
      signed_at_ms              INTEGER NOT NULL,
      broadcast_at_ms           INTEGER
    ) STRICT;
    CREATE INDEX anchor_transactions_batch ON anchor_transactions (batch_ref);
    CREATE TABLE containers (
      container_ref        INTEGER PRIMARY KEY,
      container_id         TEXT NOT NULL UNIQUE,
      site_id              TEXT NOT NULL,
      stream_id            TEXT NOT NULL,
      period_start_ms      INTEGER NOT NULL,
      period_end_ms        INTEGER NOT NULL CHECK (period_end_ms > period_start_ms),
      revision             INTEGER NOT NULL CHECK (revision >= 0),
      supersedes           TEXT NOT NULL,
      cid                  TEXT NOT NULL,
      header               TEXT NOT NULL,
      header_hash          TEXT NOT NULL,
      document             BLOB NOT NULL,
      reading_count        INTEGER NOT NULL,
      reading_id_high      INTEGER NOT NULL,
      energy_flags         TEXT NOT NULL,
      state                TEXT NOT NULL CHECK (state IN ('built','stored','submitted','confirmed')),
      batch_ref            INTEGER REFERENCES anchor_batches (batch_ref),
      closed_at_ms         INTEGER NOT NULL,
      stored_at_ms         INTEGER,
      submitted_at_ms      INTEGER,
      confirmed_at_ms      INTEGER,
      confirmed_block      INTEGER,
      attempts             INTEGER NOT NULL DEFAULT 0,
      next_attempt_at_ms   INTEGER NOT NULL DEFAULT 0,
      last_error           TEXT,
      late_reading_count   INTEGER NOT NULL DEFAULT 0,
      UNIQUE (site_id, stream_id, period_start_ms, revision)
    ) STRICT;
    CREATE INDEX containers_state ON containers (state, container_ref);
    CREATE INDEX containers_batch ON containers (batch_ref);
  `,
  down: `
    DROP TABLE containers;
    DROP TABLE anchor_transactions;
    DROP TABLE anchor_batches;
    DROP TABLE container_streams;
    DROP INDEX readings_device_channel_time;
  `,
};
