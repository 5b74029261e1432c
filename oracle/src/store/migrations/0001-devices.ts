import type { Migration } from "../migration.ts";

/** Registered devices and a version counter the ingest path polls to see changes made by `ei device`. */
export const migration0001Devices: Migration = {
  version: 1,
  name: "devices",
  up: `
    CREATE TABLE devices (
      device_ref     INTEGER PRIMARY KEY,
      device_id      TEXT NOT NULL UNIQUE CHECK (device_id GLOB '0x*' AND length(device_id) = 66),
      site_id        TEXT NOT NULL CHECK (length(site_id) = 66),
      machine_id     TEXT NOT NULL CHECK (length(machine_id) = 66),
      kind           TEXT NOT NULL,
      auth_scheme    TEXT NOT NULL CHECK (auth_scheme IN ('ed25519','hmac-sha256','network-server','polled','serial')),
      public_key     TEXT,
      hmac_secret    TEXT,
      channel_count  INTEGER NOT NULL CHECK (channel_count BETWEEN 1 AND 4294967295),
      status         TEXT NOT NULL CHECK (status IN ('active','revoked')),
      added_at_ms    INTEGER NOT NULL,
      revoked_at_ms  INTEGER
    ) STRICT;
    CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
    INSERT INTO store_meta (key, value) VALUES ('devices_version', 0);
    CREATE TRIGGER devices_inserted AFTER INSERT ON devices BEGIN
      UPDATE store_meta SET value = value + 1 WHERE key = 'devices_version';
    END;
    CREATE TRIGGER devices_updated AFTER UPDATE ON devices BEGIN
      UPDATE store_meta SET value = value + 1 WHERE key = 'devices_version';
    END;
  `,
  down: `
    DROP TRIGGER devices_updated;
    DROP TRIGGER devices_inserted;
    DROP TABLE store_meta;
    DROP TABLE devices;
  `,
};
