import type { Migration } from "../migration.ts";

/**
 * Web2 access to the stamping channels (docs/stamping.md, Security).
 *
 * - `api_keys`: per-site keys. Only the SHA-256 of the secret is kept (the
 *   secret is 256 random bits, so a fast hash is enough: there is nothing to
 *   brute-force). `key_id` is the public half, printed in the key itself.
 * - `idempotency_keys`: per API key, the request hash and the first answer, so
 *   a retried POST returns what the first one did and a reused key with another
 *   body is refused.
 * - `sms_messages`: each inbound text by Twilio's MessageSid with the reply
 *   sent, so Twilio's retries of a webhook never stamp twice.
 */
export const migration0007ApiKeysSms: Migration = {
  version: 7,
  name: "api-keys-sms",
  up: `
    CREATE TABLE api_keys (
      key_ref        INTEGER PRIMARY KEY,
      key_id         TEXT NOT NULL UNIQUE,
      site_id        TEXT NOT NULL,
      name           TEXT NOT NULL,
      scopes         TEXT NOT NULL,
      secret_sha256  TEXT NOT NULL,
      created_at_ms  INTEGER NOT NULL,
      revoked_at_ms  INTEGER,
      last_used_at_ms INTEGER
    ) STRICT;
    CREATE TABLE idempotency_keys (
      key_ref          INTEGER NOT NULL REFERENCES api_keys (key_ref),
      idempotency_key  TEXT NOT NULL,
      request_sha256   TEXT NOT NULL,
      status_code      INTEGER NOT NULL,
      response_body    TEXT NOT NULL,
      created_at_ms    INTEGER NOT NULL,
      PRIMARY KEY (key_ref, idempotency_key)
    ) STRICT;
    CREATE TABLE sms_messages (
      message_sid    TEXT PRIMARY KEY,
      from_number    TEXT NOT NULL,
      body           TEXT NOT NULL,
      reply          TEXT NOT NULL,
      stamp_ref      INTEGER REFERENCES job_stamps (stamp_ref),
      received_at_ms INTEGER NOT NULL
    ) STRICT;
  `,
  down: `
    DROP TABLE sms_messages;
    DROP TABLE idempotency_keys;
    DROP TABLE api_keys;
  `,
};
