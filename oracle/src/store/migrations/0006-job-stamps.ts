import type { Migration } from "../migration.ts";

/**
 * Production jobs and their stamps (docs/stamping.md).
 *
 * - `job_stamps`: every stamp the gateway accepted, signed and durable before
 *   the channel is answered. `time_s` is the signed time (gateway receive time,
 *   or an explicit correction, or a relay's signed time); `received_at_ms` the
 *   gateway's clock when it arrived; `claimed_at_ms` what the sender said.
 *   `state` walks queued → submitted → confirmed, or → failed with the chain's
 *   reason. (signer, nonce) is unique: a nonce lands on chain once, so a restart
 *   that resubmits can never stamp twice.
 * - `jobs`: the gateway's view of each job (its own and those seen on chain),
 *   so a stop finds its start and STATUS answers without a chain call.
 * - `busy_machines`: one row per machine with a running job. The primary key is
 *   the "machine busy" check, atomic with the insert of the start.
 * - `gateway_settings`: small values the gateway keeps (the stamp nonce epoch).
 */
export const migration0006JobStamps: Migration = {
  version: 6,
  name: "job-stamps",
  up: `
    CREATE TABLE job_stamps (
      stamp_ref          INTEGER PRIMARY KEY,
      site_id            TEXT NOT NULL,
      job_id             TEXT NOT NULL,
      action             INTEGER NOT NULL CHECK (action IN (1, 2)),
      machine_ids        TEXT NOT NULL,
      product_id         TEXT NOT NULL,
      units              INTEGER NOT NULL CHECK (units >= 0),
      time_s             INTEGER NOT NULL CHECK (time_s > 0),
      channel            INTEGER NOT NULL CHECK (channel BETWEEN 1 AND 4),
      signer             TEXT NOT NULL,
      nonce              TEXT NOT NULL,
      signature          TEXT NOT NULL,
      received_at_ms     INTEGER NOT NULL,
      claimed_at_ms      INTEGER,
      correction_reason  TEXT,
      source             TEXT NOT NULL,
      state              TEXT NOT NULL CHECK (state IN ('queued','submitted','confirmed','failed')),
      attempts           INTEGER NOT NULL DEFAULT 0,
      next_attempt_at_ms INTEGER NOT NULL DEFAULT 0,
      last_error         TEXT,
      tx_hash            TEXT,
      block_number       INTEGER,
      confirmed_at_ms    INTEGER,
      UNIQUE (signer, nonce)
    ) STRICT;
    CREATE INDEX job_stamps_state ON job_stamps (state, next_attempt_at_ms, stamp_ref);
    CREATE INDEX job_stamps_job ON job_stamps (site_id, job_id);
    CREATE TABLE jobs (
      site_id          TEXT NOT NULL,
      job_id           TEXT NOT NULL,
      reference        TEXT,
      product_id       TEXT NOT NULL,
      machine_ids      TEXT NOT NULL,
      state            TEXT NOT NULL CHECK (state IN ('running','stopped','failed')),
      started_at_s     INTEGER NOT NULL,
      stopped_at_s     INTEGER,
      units            INTEGER,
      start_stamp_ref  INTEGER REFERENCES job_stamps (stamp_ref),
      stop_stamp_ref   INTEGER REFERENCES job_stamps (stamp_ref),
      origin           TEXT NOT NULL CHECK (origin IN ('gateway','chain')),
      channel          INTEGER NOT NULL,
      created_at_ms    INTEGER NOT NULL,
      PRIMARY KEY (site_id, job_id)
    ) STRICT;
    CREATE TABLE busy_machines (
      site_id     TEXT NOT NULL,
      machine_id  TEXT NOT NULL,
      job_id      TEXT NOT NULL,
      PRIMARY KEY (site_id, machine_id)
    ) STRICT;
    CREATE TABLE gateway_settings (
      key    TEXT PRIMARY KEY,
      value  TEXT NOT NULL
    ) STRICT;
  `,
  down: `
    DROP TABLE gateway_settings;
    DROP TABLE busy_machines;
    DROP TABLE jobs;
    DROP TABLE job_stamps;
  `,
};
