import type { Migration } from "../migration.ts";

/**
 * The PACT v3 data exchange (oracle/src/pact, docs/standards.md).
 *
 * - `pact_clients`: one OAuth 2.0 client per buyer. The secret is kept as
 *   scrypt(secret, salt) only; `revoked_at_ms` set means refused from then on
 *   (its tokens too).
 * - `pact_tokens`: bearer tokens by SHA-256 of the token (256 random bits:
 *   nothing to brute-force), with their client and expiry.
 * - `pact_footprints`: the ProductFootprints served, one per lot, as the JSON
 *   the API returns, with the lot they come from.
 * - `pact_events`: every accepted CloudEvent as received, by (source, id) so a
 *   retried event is stored once.
 */
export const migration0008PactExchange: Migration = {
  version: 8,
  name: "pact-exchange",
  up: `
    CREATE TABLE pact_clients (
      client_id      TEXT PRIMARY KEY,
      name           TEXT NOT NULL,
      secret_salt    BLOB NOT NULL,
      secret_hash    BLOB NOT NULL,
      created_at_ms  INTEGER NOT NULL,
      revoked_at_ms  INTEGER
    ) STRICT;
    CREATE TABLE pact_tokens (
      token_hash     BLOB PRIMARY KEY,
      client_id      TEXT NOT NULL REFERENCES pact_clients (client_id),
      expires_at_ms  INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE pact_footprints (
      id             TEXT PRIMARY KEY,
      lot_id         TEXT NOT NULL UNIQUE,
      created_at_ms  INTEGER NOT NULL,
      json           TEXT NOT NULL
    ) STRICT;
    CREATE TABLE pact_events (
      source         TEXT NOT NULL,
      event_id       TEXT NOT NULL,
      type           TEXT NOT NULL,
      client_id      TEXT NOT NULL,
      received_at_ms INTEGER NOT NULL,
      json           TEXT NOT NULL,
      PRIMARY KEY (source, event_id)
    ) STRICT;
  `,
  down: `
    DROP TABLE pact_events;
    DROP TABLE pact_footprints;
    DROP TABLE pact_tokens;
    DROP TABLE pact_clients;
  `,
};
