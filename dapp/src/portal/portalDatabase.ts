import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";

/**
 * The portal's own SQLite file (users, roles, sessions, passkeys, login
 * failures, the stamps it relayed). Separate from the gateway's store: the
 * portal may run on another host than the gateway, and it holds what the
 * gateway must not (password hashes, sessions).
 *
 * Migrations are numbered by `PRAGMA user_version`; each runs once, in a transaction.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    user_id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    -- WebAuthn user handle: random, never the username (it is stored on authenticators).
    webauthn_user_id TEXT NOT NULL UNIQUE,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE user_site_roles (
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    site_id TEXT NOT NULL CHECK (site_id GLOB '0x[0-9a-f]*' AND length(site_id) = 66),
    role TEXT NOT NULL CHECK (role IN ('operator', 'site-manager')),
    PRIMARY KEY (user_id, site_id, role)
  ) STRICT;

  CREATE TABLE sessions (
    -- SHA-256 of the cookie's token: a copy of this table does not sign anyone in.
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('password', 'passkey')),
    created_at_ms INTEGER NOT NULL,
    last_seen_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sessions_user ON sessions(user_id);

  CREATE TABLE passkeys (
    credential_id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    public_key BLOB NOT NULL,
    counter INTEGER NOT NULL,
    transports TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    last_used_at_ms INTEGER
  ) STRICT;
  CREATE INDEX passkeys_user ON passkeys(user_id);

  CREATE TABLE webauthn_challenges (
    challenge TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('register', 'authenticate')),
    user_id INTEGER REFERENCES users(user_id) ON DELETE CASCADE,
    expires_at_ms INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX login_failures_key ON login_failures(key, at_ms);

  CREATE TABLE portal_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  -- Who stamped what: the gateway and the chain see only the portal's relay key.
  CREATE TABLE portal_stamps (
    stamp_id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(user_id),
    site_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    reference TEXT,
    action INTEGER NOT NULL CHECK (action IN (1, 2)),
    product_id TEXT NOT NULL,
    machine_ids TEXT NOT NULL,
    units INTEGER NOT NULL,
    time_s INTEGER NOT NULL,
    signer TEXT NOT NULL,
    nonce TEXT NOT NULL,
    signature TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'refused')),
    gateway_reason TEXT,
    created_at_ms INTEGER NOT NULL,
    UNIQUE (signer, nonce)
  ) STRICT;
  CREATE INDEX portal_stamps_job ON portal_stamps(site_id, job_id);
  `,
];

/** Opens (creating if needed) the portal database at `file` and brings its schema up to date. */
export function openPortalDatabase(file: string): Database {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    db.close();
    throw new Error(
      `the portal database ${file} is at schema version ${version}, newer than this dApp knows (${MIGRATIONS.length}); run the newer dApp version`,
    );
  }
  for (let index = version; index < MIGRATIONS.length; index += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[index] ?? "");
      db.pragma(`user_version = ${index + 1}`);
    })();
  }
  return db;
}
