import type { Migration } from "../migration.ts";

/**
 * Messages as received (enough to rebuild the signed bytes: the body is
 * rebuilt from the readings rows, so the blob itself is not kept), their
 * readings, and ingest events (gaps, late arrivals, resets, refused replays).
 *
 * Readings keep only salt-independent raw fields; salts and Merkle trees are
 * computed when containers close. `id` is the ingest order: later stages read
 * "everything after id N". Absent optional fields are NULL.
 */
export const migration0002Readings: Migration = {
  version: 2,
  name: "readings",
  up: `
    CREATE TABLE messages (
      message_id      INTEGER PRIMARY KEY,
      device_ref      INTEGER NOT NULL REFERENCES devices (device_ref),
      transport       TEXT NOT NULL,
      format          TEXT NOT NULL,
      auth_scheme     TEXT NOT NULL,
      signature       BLOB,
      sent_at_ms      INTEGER NOT NULL,
      received_at_ms  INTEGER NOT NULL,
      reading_count   INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE readings (
      id                                INTEGER PRIMARY KEY,
      message_id                        INTEGER NOT NULL REFERENCES messages (message_id),
      device_ref                        INTEGER NOT NULL REFERENCES devices (device_ref),
      channel                           INTEGER NOT NULL,
      sequence                          INTEGER NOT NULL,
      timestamp_ms                      INTEGER NOT NULL,
      energy_imported_milliwatt_hours   INTEGER NOT NULL,
      energy_exported_milliwatt_hours   INTEGER NOT NULL,
      counter_epoch                     INTEGER,
      power_milliwatts                  INTEGER,
      voltage_millivolts                INTEGER,
      current_milliamps                 INTEGER,
      power_factor_per_mille            INTEGER,
      quality                           INTEGER NOT NULL CHECK (quality IN (0, 1, 2))
    ) STRICT;
    CREATE UNIQUE INDEX readings_device_sequence ON readings (device_ref, sequence);
    CREATE TABLE ingest_events (
      event_id    INTEGER PRIMARY KEY,
      at_ms       INTEGER NOT NULL,
      device_ref  INTEGER REFERENCES devices (device_ref),
      kind        TEXT NOT NULL,
      channel     INTEGER,
      sequence    INTEGER,
      detail      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX ingest_events_device ON ingest_events (device_ref, event_id);
  `,
  down: `
    DROP TABLE ingest_events;
    DROP TABLE readings;
    DROP TABLE messages;
  `,
};
