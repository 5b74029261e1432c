import type { Migration } from "../migration.ts";

/**
 * The gateway's claims of energy attribute certificates on chain (oracle/src/claims,
 * docs/accounting.md, "Claims on chain").
 *
 * - `certificate_claims`: one row per (site, stream, period, certificate): the whole
 *   watt-hours a container period asks of a certificate. It is written before anything
 *   is sent, so a claim is never lost and, being unique, never made twice. `state` walks
 *   queued → submitted (the signed transaction and its hash are stored before it is
 *   broadcast, so a restart re-sends the same transaction, never a second claim) →
 *   confirmed, or → refused with the contract's reason (volume used up, unknown
 *   certificate, not the site's claimant). A container counts only confirmed volume.
 */
export const migration0010CertificateClaims: Migration = {
  version: 10,
  name: "certificate-claims",
  up: `
    CREATE TABLE certificate_claims (
      claim_ref            INTEGER PRIMARY KEY,
      site_id              TEXT NOT NULL,
      stream_id            TEXT NOT NULL,
      period_start_ms      INTEGER NOT NULL,
      period_end_ms        INTEGER NOT NULL,
      certificate_id       TEXT NOT NULL,
      certificate_key      TEXT NOT NULL,
      watt_hours           TEXT NOT NULL,
      state                TEXT NOT NULL CHECK (state IN ('queued','submitted','confirmed','refused')),
      attempts             INTEGER NOT NULL DEFAULT 0,
      next_attempt_at_ms   INTEGER NOT NULL DEFAULT 0,
      last_error           TEXT,
      raw_transaction      TEXT,
      tx_hash              TEXT,
      block_number         INTEGER,
      reason               TEXT,
      remaining_watt_hours TEXT,
      created_at_ms        INTEGER NOT NULL,
      settled_at_ms        INTEGER,
      UNIQUE (site_id, stream_id, period_start_ms, certificate_id)
    ) STRICT;
    CREATE INDEX certificate_claims_state ON certificate_claims (state, next_attempt_at_ms, claim_ref);
  `,
  down: `
    DROP TABLE certificate_claims;
  `,
};
