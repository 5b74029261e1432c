import type { Migration } from "../migration.ts";

const triggers = `
    CREATE TRIGGER devices_inserted AFTER INSERT ON devices BEGIN
      UPDATE store_meta SET value = value + 1 WHERE key = 'devices_version';
    END;
    CREATE TRIGGER devices_updated AFTER UPDATE ON devices BEGIN
      UPDATE store_meta SET value = value + 1 WHERE key = 'devices_version';
    END;`;

function devicesTable(schemes: string, chainColumns: boolean): string {
  return `
    CREATE TABLE devices (
      device_ref     INTEGER PRIMARY KEY,
      device_id      TEXT NOT NULL UNIQUE CHECK (device_id GLOB '0x*' AND length(device_id) = 66),
      site_id        TEXT NOT NULL CHECK (length(site_id) = 66),
      machine_id     TEXT NOT NULL CHECK (length(machine_id) = 66),
      kind           TEXT NOT NULL,
      auth_scheme    TEXT NOT NULL CHECK (auth_scheme IN (${schemes})),
      public_key     TEXT,
      hmac_secret    TEXT,
      channel_count  INTEGER NOT NULL CHECK (channel_count BETWEEN 1 AND 4294967295),
      status         TEXT NOT NULL CHECK (status IN ('active','revoked')),
      added_at_ms    INTEGER NOT NULL,
      revoked_at_ms  INTEGER${
        chainColumns
          ? `,
      key_hash           TEXT,
      chain_register_tx  TEXT,
      chain_revoke_tx    TEXT`
          : ""
      }
    ) STRICT;`;
}

const COMMON =
  "device_ref, device_id, site_id, machine_id, kind, auth_scheme, public_key, hmac_secret, channel_count, status, added_at_ms, revoked_at_ms";

/**
 * Devices signing with secp256k1 (ECDSA over SHA-256), and their on-chain
 * registration: the key hash committed in EnergyRegistry and the transactions
 * that registered and revoked the device (`ei device add|revoke`).
 *
 * SQLite cannot change a CHECK constraint in place, so the table is rebuilt:
 * copied aside, dropped and created anew, in the migration's transaction.
 * Readings reference `devices (device_ref)`; `defer_foreign_keys` moves the
 * foreign-key check to the commit, when every referenced row is back with its
 * `device_ref`.
 */
export const migration0004DeviceSecp256k1Chain: Migration = {
  version: 4,
  name: "device-secp256k1-chain",
  up: `
    PRAGMA defer_foreign_keys = ON;
    CREATE TEMP TABLE devices_before_0004 AS SELECT * FROM devices;
    DROP TABLE devices;
    ${devicesTable("'ed25519','secp256k1','hmac-sha256','network-server','polled','serial'", true)}
    INSERT INTO devices (${COMMON}) SELECT ${COMMON} FROM temp.devices_before_0004;
    DROP TABLE temp.devices_before_0004;
    ${triggers}
  `,
  // Undo refuses (CHECK) while a secp256k1 device is registered: remove it first.
  down: `
    PRAGMA defer_foreign_keys = ON;
    CREATE TEMP TABLE devices_before_0004 AS SELECT * FROM devices;
    DROP TABLE devices;
    ${devicesTable("'ed25519','hmac-sha256','network-server','polled','serial'", false)}
    INSERT INTO devices (${COMMON}) SELECT ${COMMON} FROM temp.devices_before_0004;
    DROP TABLE temp.devices_before_0004;
    ${triggers}
  `,
};
